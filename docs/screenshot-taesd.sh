#!/usr/bin/env bash
# Takes docs/screenshot-taesd.png: the real editor on a private Xvfb display, the tiny random-weight test model with the
# tiny random TAESD test fixture, Auto previews, caught mid-run once a step's TAESD preview is on the canvas.
# Usage: docs/screenshot-taesd.sh [step-to-catch (default 12)]     Needs xvfb-run and ImageMagick's import.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
CATCH=${1:-12}
if [ -z "${SCREENSHOT_INNER:-}" ]; then
  mvn -B -o -q test-compile
  mvn -B -o -q dependency:build-classpath -Dmdep.outputFile=target/screenshot-classpath.txt >/dev/null
  SCREENSHOT_INNER=1 exec xvfb-run -a -s "-screen 0 1600x980x24 -nolisten tcp" "$0" "$@"
fi
MODEL=src/test/resources/fixtures/sd15-tiny-inpaint/model/tiny-sd-inpaint
TAESD=src/test/resources/fixtures/taesd-tiny/model
LOG=target/screenshot-taesd.log
# a fresh session folder: no crash-recovery question from an earlier run, nothing left in the user's own session
export INPAINT_STUDIO_SESSION_DIR=$ROOT/target/screenshot-session
rm -rf "$INPAINT_STUDIO_SESSION_DIR"
java -cp "target/classes:target/test-classes:$(cat target/screenshot-classpath.txt)" -Dprism.order=sw \
  com.inpaintstudio.app.TinyModelDemo "$MODEL" "$TAESD" >"$LOG" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null || true' EXIT
for _ in $(seq 3000); do
  # "PREVIEW_ON_CANVAS step n · Step n/60 · … · TAESD preview": the preview of step n is drawn, the status says so
  if awk -v c="$CATCH" '/^PREVIEW_ON_CANVAS step / && /TAESD preview/ { if ($3 + 0 >= c) found = 1 } END { exit !found }' "$LOG"; then
    import -window root target/screenshot-taesd-raw.png
    # the window without the screen's black margin
    /usr/bin/convert target/screenshot-taesd-raw.png -bordercolor black -border 1 -trim +repage docs/screenshot-taesd.png
    grep '^PREVIEW_ON_CANVAS' "$LOG" | tail -1
    echo "saved docs/screenshot-taesd.png"
    exit 0
  fi
  kill -0 $app 2>/dev/null || { echo "the editor ended early:" >&2; tail -20 "$LOG" >&2; exit 1; }
  sleep 0.1
done
echo "no TAESD preview of step $CATCH within five minutes:" >&2
tail -20 "$LOG" >&2
exit 1
