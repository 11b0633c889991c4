#!/usr/bin/env bash
# CI packaging check: builds the jpackage app image and the .deb, then
#  - runs the image's launcher with --version (from an empty HOME) and checks it says "Inpaint Studio",
#    that the allocator relaunch happened once with the tunables, and that nothing was extracted into HOME;
#  - runs `info --model` on the tiny fixture model through the launcher (when the CLI has `info`);
#  - starts the PyTorch engine and the tokenizers library from the natives shipped in the image;
#  - checks the editor's class-data archive is in the image and mapped by the launcher;
#  - checks `dpkg-deb` lists the launcher, icons and archive, and that the package scripts are ours;
#  - as root with apt: installs the .deb with `apt-get install -y`, runs `inpaint-studio --version` and a 2-step
#    64x64 `generate` on the tiny model from the PATH, checks the command link, menu entry and icons landed, purges
#    it and checks that nothing it added is left and nothing else changed; then the same install/purge once more with
#    xdg-utils installed where it is missing (the case jpackage's own scripts failed on) unless CI_DEB_ONE_PASS=1;
#  - moves the app image to another folder and runs --version and the same `generate` from there.
# Installs fakeroot/binutils/zip/xvfb/x11-utils if missing. Env: SKIP_MVN=1 to reuse target/inpaint-studio.jar,
# SKIP_BUILD=1 to check target/installer as it is, CI_DEB_ONE_PASS=1 for one install/purge pass.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
fail() { echo "ci-check FAILED: $*" >&2; exit 1; }

missing=()
command -v fakeroot >/dev/null || missing+=(fakeroot)
command -v objcopy >/dev/null || missing+=(binutils)
command -v zip >/dev/null || missing+=(zip)
command -v unzip >/dev/null || missing+=(unzip)
command -v xvfb-run >/dev/null || missing+=(xvfb)     # the editor's class-data archive is made on Xvfb
command -v xwininfo >/dev/null || missing+=(x11-utils)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
    || { apt-get update >/dev/null && apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
fi

if [ "${SKIP_MVN:-}" != 1 ]; then
  mvn -B -o -q package -DskipTests
fi
# zstd: the .deb in seconds instead of minutes (release builds keep xz, the smallest download)
if [ "${SKIP_BUILD:-}" = 1 ] && [ -d target/installer/inpaint-studio ] && ls target/installer/*.deb >/dev/null 2>&1; then
  echo "SKIP_BUILD=1: checking target/installer as it is"
else
  DEB_COMPRESSION=${DEB_COMPRESSION:-zstd} SKIP_MVN=1 packaging/build-installers.sh app-image deb
fi

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

# LAUNCHER: started as the editor (no arguments) where there is no display, it reaches the editor's "no desktop"
# message in the launcher's own JVM: the launcher gave it the malloc tunables, so there is no allocator relaunch
editor_check() {
  local out
  # shellcheck disable=SC2086
  out=$(cd / && env -u GLIBC_TUNABLES -u DISPLAY -u WAYLAND_DISPLAY INPAINT_STUDIO_RELAUNCH_DEBUG=1 $1 2>&1) && fail "$2 without a display exited with 0: $out"
  grep -q 'the editor needs a graphical desktop' <<<"$out" && ! grep -q '^\[relaunch\]' <<<"$out" \
    || fail "$2 relaunched or did not reach the editor: $out"
  echo "$2 as the editor: one JVM ($out)"
}
if [ "$(uname -s)" = Linux ]; then
  editor_check "$PWD/$LAUNCHER" "the image's launcher"
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

# the editor's class-data archive: present, and mapped by the JVMs the launcher starts
cds_classes() {  # LAUNCHER [PACKAGE]: how many classes of PACKAGE (default the app's) `--version` took from an archive
  local logs
  logs=$(mktemp -d)
  HOME=$logs JAVA_TOOL_OPTIONS="-Xlog:class+load=info:file=$logs/classes-%p.txt" "$1" --version >/dev/null 2>&1 || true
  cat "$logs"/classes-*.txt 2>/dev/null | grep -c " ${2:-com.inpaintstudio}\..* source: shared objects file" || true
  rm -rf "$logs"
}
echo "== class-data archive"
[ -s "$APP/inpaint-studio.jsa" ] && [ -s "$APP/inpaint-studio.classlist" ] \
  || fail "no class-data archive $APP/inpaint-studio.jsa or class list (see target/jpackage-work/cds-dump.log)"
grep -q 'SharedArchiveFile=\$APPDIR/inpaint-studio.jsa' "$APP/inpaint-studio.cfg" || fail "the launcher does not map the archive"
n=$(cds_classes "$LAUNCHER")
[ "$n" -gt 0 ] || fail "the launcher's JVMs loaded no class from the archive"
echo "archive $(du -h "$APP/inpaint-studio.jsa" | cut -f1), $n of the app's classes mapped by --version"

echo "== deb contents"
deb=$(ls target/installer/*.deb)
listing=$(dpkg-deb -c "$deb")
for path in ./opt/inpaint-studio/bin/inpaint-studio ./opt/inpaint-studio/lib/icons/inpaint-studio-256.png \
            ./opt/inpaint-studio/lib/icons/inpaint-studio.svg ./opt/inpaint-studio/lib/app/inpaint-studio.classlist \
            ./opt/inpaint-studio/lib/app/engines/pytorch/; do
  grep -q " $path" <<<"$listing" || fail "$path missing from $deb"
done
! grep -q 'inpaint-studio.jsa' <<<"$listing" || fail "the .deb ships the image's class-data archive (valid only where it was built)"
dpkg-deb -f "$deb" Depends | grep -q libgtk-3-0 || fail "deb does not depend on libgtk-3-0"
maintainer=$(dpkg-deb -f "$deb" Maintainer)
grep -qE '^Inpaint Studio <[^@ ]+@[^@ ]+>$' <<<"$maintainer" && ! grep -qE '\.(invalid|example|test|localhost)>' <<<"$maintainer" \
  || fail "placeholder maintainer: $maintainer"
control=$(mktemp -d)
dpkg-deb -e "$deb" "$control"
grep -q '/var/lib/inpaint-studio/desktop-integration' "$control/postinst" "$control/prerm" >/dev/null \
  || fail "the package scripts are not packaging/linux/postinst and prerm"
rm -rf "$control"
echo "deb: $deb $(du -h "$deb" | cut -f1), installed $(dpkg-deb -f "$deb" Installed-Size) KiB, maintainer $maintainer"

# PNG FILE -> "WIDTHxHEIGHT" from its IHDR chunk
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{ printf "%dx%d", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8 }'; }
# LAUNCHER: a 2-step generate on the tiny model, 64x64, run from an empty folder with an empty HOME
generate_check() {
  local work out
  work=$(mktemp -d)
  out=$(cd "$work" && HOME=$work "$1" generate --model "$ROOT/$TINY" --image "$ROOT/packaging/ci/photo-64.png" \
    --mask "$ROOT/packaging/ci/mask-64.png" --prompt "a cat with a hat" --steps 2 --seed 42 --preview none \
    --out "$work/out.png" 2>&1) || fail "$1 generate exited with $?: $out"
  [ -f "$work/out.png" ] && [ "$(png_size "$work/out.png")" = 64x64 ] || fail "$1 generate wrote no 64x64 PNG: $out"
  echo "generate: $(tail -1 <<<"$out")"
  rm -rf "$work"
}

# ---------------------------------------------------------------- install, run, purge
# what the package may touch, listed before the install and after the purge: the two must be equal
watched() {
  { find /opt /usr/bin /usr/local/bin /usr/share/applications /usr/local/share/applications /usr/share/icons \
    /usr/local/share/icons /etc/xdg/menus /var/lib/inpaint-studio 2>/dev/null || true; } | sort
}
apt_quiet() { apt-get -y -q -o Dpkg::Use-Pty=0 "$@" >"$ROOT/target/ci-apt.log" 2>&1; }
install_cycle() {  # full|short: install the .deb, check, purge, check
  local before after entry icon t0=$SECONDS
  before=$(watched)
  apt_quiet install "$ROOT/$deb" || fail "apt-get install of the .deb failed: $(tail -20 "$ROOT/target/ci-apt.log")"
  dpkg -s inpaint-studio | grep -q '^Status: install ok installed' || fail "the package is not fully installed: $(dpkg -s inpaint-studio | grep Status)"
  [ "$(readlink /usr/bin/inpaint-studio)" = /opt/inpaint-studio/bin/inpaint-studio ] || fail "/usr/bin/inpaint-studio does not link to the launcher"
  entry=
  for e in /usr/local/share/applications/inpaint-studio.desktop /usr/share/applications/inpaint-studio.desktop; do
    [ -f "$e" ] && entry=$e
  done
  [ -n "$entry" ] || fail "no menu entry inpaint-studio.desktop in /usr/share/applications or /usr/local/share/applications"
  for line in 'Name=Inpaint Studio' 'Icon=inpaint-studio' 'Categories=Graphics;'; do
    grep -qF "$line" "$entry" || fail "$entry lacks '$line'"
  done
  # the menu starts the image's launcher as the editor, which gets the malloc tunables there (no relaunch); file
  # managers offer it under "Open With" for the photo types it opens, and pass the file (%f)
  grep -qE '^Exec=/opt/inpaint-studio/bin/inpaint-studio edit %f$' "$entry" \
    || fail "$entry: unexpected $(grep ^Exec= "$entry")"
  grep -qE '^MimeType=image/png;image/jpeg;' "$entry" || fail "$entry: no MimeType line for Open With"
  if command -v desktop-file-validate >/dev/null; then desktop-file-validate "$entry" || fail "$entry is not a valid desktop entry"; fi
  for icon in 48x48/apps/inpaint-studio.png 256x256/apps/inpaint-studio.png scalable/apps/inpaint-studio.svg; do
    [ -f /usr/share/icons/hicolor/$icon ] || [ -f /usr/local/share/icons/hicolor/$icon ] || fail "icon hicolor/$icon missing"
  done
  echo "installed: $entry, icons, /usr/bin/inpaint-studio ($(grep -c . /var/lib/inpaint-studio/desktop-integration) entries recorded)"
  if [ "$1" = full ]; then
    home=$(mktemp -d)
    out=$(cd / && HOME=$home inpaint-studio --version 2>&1) || fail "inpaint-studio --version from the PATH exited with $?: $out"
    grep -q "Inpaint Studio" <<<"$out" || fail "inpaint-studio --version: $out"
    echo "from the PATH: $out"
    # the menu entry's command line, as a desktop runs it: the editor, in one JVM (no allocator relaunch)
    exec_line=$(sed -n 's/^Exec=//p' "$entry" | sed 's/ %[fFuU]//g') # started from the menu: no file
    editor_check "$exec_line" "the menu entry's command"
    rm -rf "$home"
    generate_check inpaint-studio
    n=$(cds_classes /usr/bin/inpaint-studio)
    [ "$n" -gt 0 ] && [ ! -L /opt/inpaint-studio/lib/app/inpaint-studio.jsa ] || fail "the installed app does not map its class-data archive"
    echo "installed app: $n of the app's classes from its class-data archive ($(du -h /opt/inpaint-studio/lib/app/inpaint-studio.jsa | cut -f1))"
  fi
  apt_quiet purge inpaint-studio || fail "apt-get purge failed: $(tail -20 "$ROOT/target/ci-apt.log")"
  ! dpkg -s inpaint-studio >/dev/null 2>&1 || fail "inpaint-studio still known to dpkg after the purge"
  for path in /opt/inpaint-studio /usr/bin/inpaint-studio /var/lib/inpaint-studio /usr/share/applications/inpaint-studio.desktop \
              /usr/local/share/applications/inpaint-studio.desktop; do
    [ ! -e "$path" ] && [ ! -L "$path" ] || fail "$path left after the purge"
  done
  left=$(find /usr/share/icons /usr/local/share/icons -name "inpaint-studio.*" 2>/dev/null || true)
  [ -z "$left" ] || fail "icons left after the purge: $left"
  after=$(watched)
  [ "$before" = "$after" ] || fail "install + purge changed the machine:"$'\n'"$(diff <(echo "$before") <(echo "$after"))"
  echo "purged: nothing left, nothing else changed ($((SECONDS - t0)) s)"
}

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && command -v dpkg >/dev/null; then
  ! dpkg -s inpaint-studio >/dev/null 2>&1 || fail "inpaint-studio is already installed here: remove it first (apt-get purge -y inpaint-studio)"
  # the missing dependencies first (nothing upgraded), so that the install itself adds only the package
  deps=()
  for dep in $(dpkg-deb -f "$deb" Depends | tr ',' '\n' | awk 'NF { print $1 }' | sort -u); do
    dpkg-query -W -f='${Status}' "$dep" 2>/dev/null | grep -q 'ok installed' || deps+=("$dep")
  done
  if [ ${#deps[@]} -gt 0 ]; then
    echo "== the .deb's missing dependencies: ${deps[*]}"
    apt_quiet install --no-upgrade --no-install-recommends "${deps[@]}" \
      || { apt-get update -qq >/dev/null 2>&1; apt_quiet install --no-upgrade --no-install-recommends "${deps[@]}"; } \
      || fail "cannot install the .deb's dependencies: $(tail -20 "$ROOT/target/ci-apt.log")"
  fi
  menus=no; [ -f /etc/xdg/menus/applications.menu ] && menus=yes
  if command -v xdg-desktop-menu >/dev/null; then xdg=installed; else xdg="not installed"; fi
  echo "== install/purge (xdg-utils $xdg, system menu /etc/xdg/menus/applications.menu: $menus)"
  install_cycle full
  # The failure this guards against: xdg-utils installed, no system menu (xdg-desktop-menu exits 3). Where xdg-utils
  # is missing, install it for a second pass (and remove it again); where it is there, the pass above was that case
  # (or, with a system menu, the xdg-utils path).
  if [ "$xdg" != installed ] && [ "${CI_DEB_ONE_PASS:-}" != 1 ]; then
    echo "== install/purge again with xdg-utils installed"
    if apt_quiet install --no-install-recommends xdg-utils; then
      trap 'apt-get purge -y -q xdg-utils >/dev/null 2>&1' EXIT
      install_cycle short
      apt_quiet purge xdg-utils || fail "cannot remove xdg-utils again"
      trap - EXIT
    else
      echo "skipped: apt cannot install xdg-utils here ($(tail -1 "$ROOT/target/ci-apt.log"))"
    fi
  fi
else
  echo "== install/purge skipped: needs root and apt-get"
fi

# ---------------------------------------------------------------- the app image in another folder
echo "== app image moved to another folder"
moved="$ROOT/target/ci-moved/somewhere else"
rm -rf "$ROOT/target/ci-moved" && mkdir -p "$moved"
mv "$IMAGE" "$moved/"
trap 'mv "$moved/inpaint-studio" "$ROOT/$IMAGE" 2>/dev/null; rm -rf "$ROOT/target/ci-moved"' EXIT
home=$(mktemp -d)
out=$(cd / && HOME=$home "$moved/inpaint-studio/bin/inpaint-studio" --version 2>&1) || fail "moved image --version exited with $?: $out"
grep -q "Inpaint Studio" <<<"$out" || fail "moved image --version: $out"
generate_check "$moved/inpaint-studio/bin/inpaint-studio"
# JDK 17 takes the image's archive only where it was made; elsewhere the runtime's own archive must still be used
n=$(cds_classes "$moved/inpaint-studio/bin/inpaint-studio" java.lang)
[ "$n" -gt 0 ] || fail "the moved image starts without any class-data archive"
echo "moved image: $n java.lang classes from the runtime's class-data archive"
[ -z "$(ls -A "$home")" ] || fail "the moved image wrote into HOME: $(ls -A "$home")"
rm -rf "$home"
echo "ci-check: packaging OK (${SECONDS}s)"
