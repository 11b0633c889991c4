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
events=$(mktemp -u)
mkfifo "$events"
trap 'rm -f "$out" "$events"; [ -n "${xev_pid:-}" ] && kill "$xev_pid" 2>/dev/null || true' EXIT
# Waiting must not cost the app CPU: a poller that runs xwininfo every 20 ms takes a good part of a core and of the X
# server from a 2-core machine (it made the window ~1 s later here). So the script sleeps in blocking reads: xev reports
# the root window's new mapped children as they happen, and `tail -f` (inotify) the app's log lines.
stdbuf -oL xev -root -event substructure >"$events" &
xev_pid=$!
exec 3<"$events"
sleep 0.3 # xev selects its events before the app starts
for i in $(seq "$RUNS"); do
  : >"$out"
  while read -r -t 0.2 _ <&3; do :; done # the previous run's late events
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
  # "MapNotify event, ..." is followed by "    event 0xROOT, window 0xNEW, override NO"
  while [ -z "$shown" ] && read -r -t 60 line <&3; do
    case $line in
      MapNotify*)
        read -r -t 5 line <&3 || break
        win=$(echo "$line" | sed -n 's/.*window \(0x[0-9a-f]*\).*/\1/p')
        if [ -n "$win" ] && xprop -id "$win" WM_NAME 2>/dev/null | grep -q '"Inpaint Studio"'; then
          shown=$(( ($(date +%s%N) - start) / 1000000 ))
          cpu=$(cpu_of "$app")
        fi ;;
    esac
    kill -0 "$app" 2>/dev/null || break
  done
  # (a process substitution: the script does not wait for tail, which ends with the app)
  if [ -n "$shown" ] && grep -q -m1 'first frame after' <(timeout 20 tail -f --pid="$app" -n +1 "$out"); then
    frame=$(( ($(date +%s%N) - start) / 1000000 ))
    fcpu=$(cpu_of "$app")
  fi
  [ -n "${LOG:-}" ] && cp "$out" "$LOG"
  kill -TERM "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  sleep 0.5
  leftover=$(xwininfo -root -tree 2>/dev/null | grep -c '"Inpaint Studio"' || true)
  app_log=$(grep -o 'shown [0-9]* ms.*' "$out" | head -1 || true)
  echo "run $i: window after ${shown:-never} ms wall, ${cpu:-?} s CPU; first frame after ${frame:-never} ms wall, ${fcpu:-?} s CPU (windows left after SIGTERM: $leftover)${app_log:+; app: $app_log}"
  [ -n "$shown" ] || echo "  no window; the app's last lines: $(tail -3 "$out" | tr '\n' ' ')"
done
