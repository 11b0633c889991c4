#!/usr/bin/env bash
# Time from starting the app image's launcher (no arguments: the editor) until a window titled "Inpaint Studio" is
# mapped on a private Xvfb display (xvfb-run -a), then stops the app with SIGTERM (the relaunch parent stops its child too).
# Usage: packaging/measure-window.sh [runs]        Env: LAUNCHER=path (default: the app image in target/installer;
#        /usr/bin/inpaint-studio for the installed .deb), LOG=file (the app's output of the last run)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LAUNCHER=${LAUNCHER:-$ROOT/target/installer/inpaint-studio/bin/inpaint-studio}
[ -x "$LAUNCHER" ] || { echo "no launcher at $LAUNCHER: run packaging/build-installers.sh app-image" >&2; exit 1; }
export LAUNCHER
RUNS=${1:-3}
if [ -z "${MEASURE_WINDOW_INNER:-}" ]; then
  # a private X server on a free display number (xvfb-run -a), software rendering like any GPU-less machine
  MEASURE_WINDOW_INNER=1 exec xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" "$0" "$@"
fi
# CPU seconds (user+sys) of a process and its children so far: on a loaded machine wall time says little
cpu_of() {
  local total=0 p
  for p in $1 $(pgrep -P "$1" || true); do
    [ -r /proc/$p/stat ] || continue
    total=$(( total + $(awk '{print $14 + $15}' /proc/$p/stat) ))
  done
  echo "scale=2; $total / $(getconf CLK_TCK)" | bc
}
for i in $(seq "$RUNS"); do
  start=$(date +%s%N)
  "$LAUNCHER" >"${LOG:-/dev/null}" 2>&1 &
  app=$!
  shown=""
  cpu=""
  for _ in $(seq 600); do
    if xwininfo -root -tree 2>/dev/null | grep -q '"Inpaint Studio"'; then
      shown=$(( ($(date +%s%N) - start) / 1000000 ))
      cpu=$(cpu_of "$app")
      break
    fi
    kill -0 "$app" 2>/dev/null || break
    sleep 0.02
  done
  kill -TERM "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  sleep 0.5
  leftover=$(xwininfo -root -tree 2>/dev/null | grep -c '"Inpaint Studio"' || true)
  echo "run $i: window after ${shown:-never} ms wall, ${cpu:-?} s CPU (windows left after SIGTERM: $leftover)"
done
