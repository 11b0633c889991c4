#!/usr/bin/env bash
# Makes docs/outpaint.jpg: the sample photo (768x512) above the same photo widened by the built-in fill,
# `generate --engine fill --extend 192,0,192,0` (1152x512), on the README's dark grey, 800 px wide.
# Usage: docs/outpaint.sh     Needs ImageMagick's convert.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
mvn -B -o -q compile
mvn -B -o -q dependency:build-classpath -Dmdep.outputFile=target/outpaint-classpath.txt >/dev/null
cp src/main/resources/com/inpaintstudio/sample/sample-landscape.png target/outpaint-before.png
java -cp "target/classes:$(cat target/outpaint-classpath.txt)" com.inpaintstudio.Launcher generate --engine fill \
  --image target/outpaint-before.png --extend 192,0,192,0 --out target/outpaint-after.png
convert target/outpaint-before.png -resize 534x356 -background "rgb(43,43,43)" -gravity center -extent 800x356 \
  target/outpaint-top.png
convert target/outpaint-after.png -resize 800x356 target/outpaint-bottom.png
convert target/outpaint-top.png target/outpaint-bottom.png -append -quality 88 docs/outpaint.jpg
echo "wrote docs/outpaint.jpg"
