#!/usr/bin/env bash
# Time from starting the app image's launcher (no arguments: the editor) until a window titled "Inpaint Studio" is
# mapped on a private Xvfb display (xvfb-run -a), and until the app logs its first frame (the first pulse that laid the
# window out: what the user sees), then stops the app with SIGTERM (the relaunch parent stops its child too).
# CPU seconds are the launcher's process and its children (the relaunched JVM, and the ended ones it waited for) at
# that moment.
# Usage: packaging/measure-window.sh [runs]        Env: LAUNCHER=path (default: the app image in target/installer;
#        /usr/bin/inpaint-studio for the installed .deb; JAR=path instead measures `java -jar path`),
#        LOG=file (the app's output of the last run), JAVA_OPTS (with JAR: options for the java command)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LAUNCHER=${LAUNCHER:-$ROOT/target/installer/inpaint-studio/bin/inpaint-studio}
if [ -n "${JAR:-}" ]; then
  [ -f "$JAR" ] || { echo "no jar at $JAR: run mvn -B package -DskipTests" >&2; exit 1; }
else
  [ -x "$LAUNCHER" ] || { echo "no launcher at $LAUNCHER: run packaging/build-installers.sh app-image" >&2; exit 1; }
fi
export LAUNCHER
RUNS=${1:-3}
if [ -z "${MEASURE_WINDOW_INNER:-}" ]; then
  # a private X server on a free display number (xvfb-run -a), software rendering like any GPU-less machine
  MEASURE_WINDOW_INNER=1 exec xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" "$0" "$@"
fi
# CPU seconds (user+sys) of a process and its children so far: on a loaded machine wall time says little. Also the
# children that already ended and were waited for (cutime+cstime): the jpackage launcher's rpm/dpkg queries.
cpu_of() {
  local total=0 p
  for p in $1 $(pgrep -P "$1" || true); do
    [ -r /proc/$p/stat ] || continue
    total=$(( total + $(awk '{print $14 + $15 + $16 + $17}' /proc/$p/stat) ))
  done
  echo "scale=2; $total / $(getconf CLK_TCK)" | bc
}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for i in $(seq "$RUNS"); do
  start=$(date +%s%N)
  if [ -n "${JAR:-}" ]; then
    # shellcheck disable=SC2086
    java ${JAVA_OPTS:-} -jar "$JAR" >"$out" 2>&1 &
  else
    "$LAUNCHER" >"$out" 2>&1 &
  fi
  app=$!
  shown=""
  cpu=""
  frame=""
  fcpu=""
  for _ in $(seq 1500); do
    if [ -z "$shown" ] && xwininfo -root -tree 2>/dev/null | grep -q '"Inpaint Studio"'; then
      shown=$(( ($(date +%s%N) - start) / 1000000 ))
      cpu=$(cpu_of "$app")
    fi
    if [ -z "$frame" ] && grep -q 'first frame after' "$out"; then
      frame=$(( ($(date +%s%N) - start) / 1000000 ))
      fcpu=$(cpu_of "$app")
    fi
    [ -n "$shown" ] && [ -n "$frame" ] && break
    # builds before the first-frame log line: the window alone
    [ -n "$shown" ] && grep -q 'Editor window shown' "$out" && ! grep -q 'first frame after' "$out" && break
    kill -0 "$app" 2>/dev/null || break
    sleep 0.02
  done
  [ -n "${LOG:-}" ] && cp "$out" "$LOG"
  kill -TERM "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  sleep 0.5
  leftover=$(xwininfo -root -tree 2>/dev/null | grep -c '"Inpaint Studio"' || true)
  app_log=$(grep -o 'shown [0-9]* ms.*' "$out" | head -1 || true)
  echo "run $i: window after ${shown:-never} ms wall, ${cpu:-?} s CPU; first frame after ${frame:-never} ms wall, ${fcpu:-?} s CPU (windows left after SIGTERM: $leftover)${app_log:+; app: $app_log}"
  [ -n "$shown" ] || echo "  no window; the app's last lines: $(tail -3 "$out" | tr '\n' ' ')"
done
