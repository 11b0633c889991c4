#!/usr/bin/env bash
# CI packaging check: builds the jpackage app image and the .deb, then
#  - runs the image's launcher with --version (from an empty HOME) and checks it says "Inpaint Studio",
#    that the allocator relaunch happened once with the tunables, and that nothing was extracted into HOME;
#  - runs `info --model` on the tiny fixture model through the launcher (when the CLI has `info`);
#  - starts the PyTorch engine and the tokenizers library from the natives shipped in the image;
#  - checks `dpkg-deb -c` lists the launcher, the icon and the desktop file, and the desktop entry's contents.
# Installs fakeroot/binutils/zip if missing. Env: SKIP_MVN=1 to reuse target/inpaint-studio.jar.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
fail() { echo "ci-check FAILED: $*" >&2; exit 1; }

missing=()
command -v fakeroot >/dev/null || missing+=(fakeroot)
command -v objcopy >/dev/null || missing+=(binutils)
command -v zip >/dev/null || missing+=(zip)
command -v unzip >/dev/null || missing+=(unzip)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  apt-get install -y "${missing[@]}" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "${missing[@]}" >/dev/null; }
fi

if [ "${SKIP_MVN:-}" != 1 ]; then
  mvn -B -o -q package -DskipTests
fi
# zstd: the .deb in seconds instead of minutes (release builds keep xz, the smallest download)
DEB_COMPRESSION=${DEB_COMPRESSION:-zstd} SKIP_MVN=1 packaging/build-installers.sh app-image deb

IMAGE=target/installer/inpaint-studio
LAUNCHER=$IMAGE/bin/inpaint-studio
[ -x "$LAUNCHER" ] || fail "no launcher at $LAUNCHER"

echo "== launcher --version"
home=$(mktemp -d)
out=$(env -u GLIBC_TUNABLES -u INPAINT_STUDIO_NO_RELAUNCH HOME="$home" INPAINT_STUDIO_RELAUNCH_DEBUG=1 "$LAUNCHER" --version 2>&1) \
  || fail "launcher --version exited with $?: $out"
echo "$out"
grep -q "Inpaint Studio" <<<"$out" || fail "--version output lacks 'Inpaint Studio'"
if [ "$(uname -s)" = Linux ]; then
  [ "$(grep -c '^\[relaunch\] starting' <<<"$out")" = 1 ] || fail "expected exactly one allocator relaunch"
  grep -q '^\[relaunch\] child running with GLIBC_TUNABLES=.*glibc.malloc.arena_max=1' <<<"$out" \
    || fail "the relaunched child did not get the malloc tunables"
fi

TINY=src/test/resources/fixtures/sd15-tiny-inpaint/model/tiny-sd-inpaint
if "$LAUNCHER" --help 2>/dev/null | grep -qE '^ +info '; then
  echo "== launcher info on the tiny model"
  info=$(HOME="$home" "$LAUNCHER" info --model "$TINY" 2>&1) || fail "launcher info exited with $?: $info"
  echo "$info"
  grep -q "inpainting (9-channel UNet)" <<<"$info" || fail "info did not describe the tiny inpainting model"
fi

echo "== engine start from the natives shipped in the image"
APP=$PWD/$IMAGE/lib/app
CP=$(grep '^app.classpath=' "$APP/inpaint-studio.cfg" | sed "s|^app.classpath=\\\$APPDIR|$APP|" | paste -sd:)
probe=$(HOME="$home" "$IMAGE/lib/runtime/bin/java" -Dai.djl.offline=true -DENGINE_CACHE_DIR="$APP/engines" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "target/jpackage-work/tools:$CP" EngineStartProbe 2>&1) \
  || fail "engine did not start from the image: $probe"
echo "$probe"
grep -q "PyTorch 2" <<<"$probe" || fail "engine probe output unexpected"
[ -z "$(ls -A "$home")" ] || fail "the app wrote into HOME (natives extracted?): $(ls -A "$home")"
rm -rf "$home"

echo "== deb contents"
deb=$(ls target/installer/*.deb)
listing=$(dpkg-deb -c "$deb")
for path in ./opt/inpaint-studio/bin/inpaint-studio ./opt/inpaint-studio/lib/inpaint-studio.png \
            ./opt/inpaint-studio/lib/inpaint-studio-inpaint-studio.desktop \
            ./opt/inpaint-studio/lib/app/engines/pytorch/; do
  grep -q " $path" <<<"$listing" || fail "$path missing from $deb"
done
desktop=$(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./opt/inpaint-studio/lib/inpaint-studio-inpaint-studio.desktop)
for line in 'Name=Inpaint Studio' 'Exec=/opt/inpaint-studio/bin/inpaint-studio' \
            'Icon=/opt/inpaint-studio/lib/inpaint-studio.png' 'Categories=Graphics;'; do
  grep -qF "$line" <<<"$desktop" || fail "desktop entry lacks '$line':"$'\n'"$desktop"
done
dpkg-deb -f "$deb" Depends | grep -q libgtk-3-0 || fail "deb does not depend on libgtk-3-0"
echo "deb: $deb $(du -h "$deb" | cut -f1), installed $(dpkg-deb -f "$deb" Installed-Size) KiB"
echo "ci-check: packaging OK (${SECONDS}s)"
