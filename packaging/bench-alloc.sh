#!/usr/bin/env bash
# The allocator figure: a 1 GiB attention-score batchMatMul with glibc's default malloc and with the tunables that
# AllocatorRelauncher sets. Uses the built app image's runtime and jars (run build-installers.sh app-image first).
# Usage: packaging/bench-alloc.sh [reps] [heads]     (~20 s on 2 cores)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
APP=$ROOT/target/installer/inpaint-studio/lib/app
[ -d "$APP" ] || { echo "no app image: run packaging/build-installers.sh app-image" >&2; exit 1; }
TOOLS=$ROOT/target/jpackage-work/bench-tools
CP=$(grep '^app.classpath=' "$APP/inpaint-studio.cfg" | sed "s|^app.classpath=\\\$APPDIR|$APP|" | paste -sd:)
mkdir -p "$TOOLS"
javac -d "$TOOLS" -cp "$CP" "$ROOT/packaging/BenchAlloc.java"
JAVA=$ROOT/target/installer/inpaint-studio/lib/runtime/bin/java
TUNABLES=$(grep -o 'TUNABLES = "[^"]*"' "$ROOT/src/main/java/com/inpaintstudio/AllocatorRelauncher.java" | cut -d'"' -f2)
run() { "$JAVA" -Xmx2g -Dai.djl.offline=true -DENGINE_CACHE_DIR="$APP/engines" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$TOOLS:$CP" BenchAlloc "$@"; }
(unset GLIBC_TUNABLES LD_PRELOAD; run "$@")
(unset LD_PRELOAD; GLIBC_TUNABLES=$TUNABLES run "$@")
