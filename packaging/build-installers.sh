#!/usr/bin/env bash
# Builds the installable app from the Maven build output (target/inpaint-studio.jar + target/lib):
#   jdeps -> jlink (trimmed runtime) -> jpackage app-image -> jpackage deb (Linux).
# Usage: packaging/build-installers.sh [app-image] [deb]      (default: both; deb only on Linux)
# Env:   SKIP_MVN=1   do not run `mvn package` when target/ is missing
#        DEST=dir     where the image and installers go (default target/installer)
#        DEB_COMPRESSION=xz|zstd|gzip  .deb compressor (default xz: smallest download; zstd: ~10x faster to build)
#        DEB_MAINTAINER=address  the .deb's Maintainer e-mail (shown as "Inpaint Studio <address>")
#        NO_CDS=1     no class-data archive for the editor (otherwise made when xvfb-run and xwininfo are there)
# libtorch and the other native libraries are shipped unpacked (stripped) inside the image under lib/app/engines
# and the app points DJL at them with -DENGINE_CACHE_DIR, so a first start extracts nothing into the user's home.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
TYPES=("$@")
[ ${#TYPES[@]} -eq 0 ] && TYPES=(app-image deb)
DEST=${DEST:-$ROOT/target/installer}
WORK=$ROOT/target/jpackage-work
NAME=inpaint-studio
MAIN_CLASS=com.inpaintstudio.Launcher
JAVA_BIN=$(dirname "$(readlink -f "$(command -v javac)")")

step() { printf '\n== %s (%ss)\n' "$*" "$SECONDS"; }
die() { echo "build-installers: $*" >&2; exit 1; }

for tool in jdeps jlink jpackage javac zip unzip; do
  command -v "$tool" >/dev/null || die "$tool not found: install a full JDK 17+ (jlink, jpackage) and zip/unzip"
done

if [ ! -f target/inpaint-studio.jar ] || [ ! -d target/lib ]; then
  [ "${SKIP_MVN:-}" = 1 ] && die "target/inpaint-studio.jar missing: run mvn -B package -DskipTests first"
  step "mvn package"
  mvn -B -q -o package -DskipTests
fi

VERSION=$(unzip -p target/inpaint-studio.jar META-INF/MANIFEST.MF | tr -d '\r' \
  | sed -n 's/^Implementation-Version: *//p')
[ -n "$VERSION" ] || die "no Implementation-Version in target/inpaint-studio.jar's manifest"
# jpackage wants 1-3 numeric components; 0.2.0-SNAPSHOT -> 0.2.0
APP_VERSION=$(echo "$VERSION" | sed 's/[^0-9.].*$//')
echo "Inpaint Studio $VERSION (package version $APP_VERSION)"

rm -rf "$WORK" && mkdir -p "$WORK/input/lib" "$WORK/jdeps" "$DEST"

# ---------------------------------------------------------------- native engine cache, shipped in the image
step "native libraries: let DJL lay out its engine cache, then strip it"
ENGINES=$WORK/input/engines
javac -d "$WORK/tools" -cp 'target/lib/*' packaging/NativeCacheWarmer.java packaging/EngineStartProbe.java
DJL_CACHE_DIR=$WORK/djl-cache java -Dai.djl.offline=true -DENGINE_CACHE_DIR="$ENGINES" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$WORK/tools:target/lib/*" NativeCacheWarmer
find "$ENGINES" -name '*.so*' -type f -exec strip --strip-unneeded {} \;
find "$ENGINES" -name '*.so*' -type f -exec chmod 644 {} \;

# ---------------------------------------------------------------- the class path, without what the image ships unpacked
step "application jars"
cp target/inpaint-studio.jar "$WORK/input/"
for jar in target/lib/*.jar; do
  base=$(basename "$jar")
  cp "$jar" "$WORK/input/lib/$base"
  case "$base" in
    # keep their .properties (DJL reads the version from them), drop the natives: they are in engines/
    pytorch-native-*) zip -q -d "$WORK/input/lib/$base" 'pytorch/*' ;;
    pytorch-jni-*) zip -q -d "$WORK/input/lib/$base" 'jnilib/*/*' ;;
    tokenizers-*) zip -q -d "$WORK/input/lib/$base" 'native/lib/*/*' ;;
    # JavaFX loads its natives from the jar's folder when they are there, else extracts them to ~/.openjfx
    javafx-*-linux.jar)
      if unzip -l "$jar" '*.so' >/dev/null 2>&1; then
        unzip -q -o "$jar" '*.so' -d "$WORK/input/lib"
        zip -q -d "$WORK/input/lib/$base" '*.so'
      fi ;;
  esac
done

# ---------------------------------------------------------------- jdeps -> jlink
step "jdeps"
# Modular jars that require modules jdeps cannot see make it fail; analyse copies without module-info instead.
for jar in "$WORK"/input/inpaint-studio.jar "$WORK"/input/lib/*.jar; do
  cp "$jar" "$WORK/jdeps/"
  zip -q -d "$WORK/jdeps/$(basename "$jar")" module-info.class 'META-INF/versions/*/module-info.class' >/dev/null 2>&1 || true
done
MODULES=$(jdeps --ignore-missing-deps --multi-release 17 --print-module-deps --class-path "$WORK/jdeps/*" "$WORK"/jdeps/*.jar \
  | tail -1)
# Not visible to jdeps: TLS for model downloads (EC cipher suites), HTTP client, zip file system.
MODULES="$MODULES,jdk.crypto.ec,java.net.http,jdk.zipfs"
echo "modules: $MODULES"

step "jlink"
jlink --add-modules "$MODULES" --output "$WORK/runtime" \
  --strip-debug --no-header-files --no-man-pages --compress=2 --generate-cds-archive

# ---------------------------------------------------------------- jpackage
JAVA_OPTIONS=(
  --java-options '-Dai.djl.offline=true'
  --java-options '-DENGINE_CACHE_DIR=$APPDIR/engines'
  --java-options '-XX:MaxRAMPercentage=75'
  # explicit, so that on machines with more than ~42 GB of RAM the heap is capped at 32 GB instead of compressed oops
  # being turned off: without them the JVM ignores the class-data archives (jlink's and the editor's below)
  --java-options '-XX:+UseCompressedOops'
  --java-options '-Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error'
  --java-options '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn'
  # C2 takes a method after 10x the usual calls/loop iterations: ~0.8 s less CPU before the editor's window is up (C2
  # spent ~1 s on CSS/layout code that runs a few thousand times at start-up); long-running code still reaches C2
  # within a fraction of a second (see AllocatorRelauncher.EDITOR_JIT: the same options for the editor from jars)
  --java-options '-XX:Tier4InvocationThreshold=50000'
  --java-options '-XX:Tier4MinInvocationThreshold=6000'
  --java-options '-XX:Tier4CompileThreshold=150000'
  --java-options '-XX:Tier4BackEdgeThreshold=400000'
)
DESCRIPTION="Stable Diffusion inpainting editor and command line, offline, in pure Java"
COMMON=(
  --name "$NAME" --app-version "$APP_VERSION"
  --vendor "Inpaint Studio" --copyright "Inpaint Studio contributors"
  --description "$DESCRIPTION"
)
DEB_APP_DIR=/opt/$NAME
DEB_STATE=/var/lib/$NAME/desktop-integration
# GitHub's no-reply domain: a real address whose mail is discarded (the project has no mailing list)
DEB_MAINTAINER=${DEB_MAINTAINER:-inpaint-studio@users.noreply.github.com}

# Appends JVM options to the image launcher's .cfg (its [JavaOptions] section is the last one).
add_cfg_options() {
  local cfg=$1; shift
  tail -1 "$cfg" | grep -q '^java-options=' || die "unexpected layout of $cfg: $(tail -1 "$cfg")"
  for o in "$@"; do printf 'java-options=%s\n' "$o" >> "$cfg"; done
}

# Replaces jpackage's native launcher with packaging/linux/launcher (the same start from the same .cfg, without the
# native launcher's four package-manager queries; the editor gets the malloc tunables there and needs no relaunch).
# The tunables are the app's own string, tensor.NativeHeap.TUNABLES, read from the built jar.
install_launcher() {
  local tunables
  tunables=$(javap -constants -cp target/inpaint-studio.jar com.inpaintstudio.tensor.NativeHeap \
    | sed -n 's/.* TUNABLES = "\(glibc\.malloc\.[^"]*\)";$/\1/p')
  [[ "$tunables" =~ ^[a-z._=0-9:]+$ ]] || die "cannot read NativeHeap.TUNABLES from target/inpaint-studio.jar"
  [ -f "$1" ] || die "jpackage made no launcher at $1"
  sed -e "s|@TUNABLES@|$tunables|g" -e "s|@NAME@|$NAME|g" packaging/linux/launcher > "$1"
  ! grep -n '@[A-Z_]*@' "$1" || die "unfilled placeholder in $1"
  chmod 755 "$1"
}

# A dynamic AppCDS archive of the classes the editor loads until its window is up (JavaFX, CSS, ours), made by
# starting the image's editor once on a private Xvfb display and stopping it: the JVM writes the archive at exit.
# The launcher then maps it ($APPDIR/inpaint-studio.jsa, ~23 MB). JDK 17 takes it only where it was made (it checks
# the class path's absolute paths and the jars' sizes and times): elsewhere, e.g. the image moved to another folder,
# the JVM quietly keeps only the runtime's own archive. The same run writes the list of loaded classes
# ($APPDIR/inpaint-studio.classlist), from which the .deb's postinst makes a static archive where it is installed.
editor_cds_archive() {
  local cfg=$IMAGE/lib/app/$NAME.cfg jsa=$IMAGE/lib/app/$NAME.jsa list=$IMAGE/lib/app/$NAME.classlist home=$WORK/cds-home
  rm -f "$jsa" "$list"
  if ! command -v xvfb-run >/dev/null || ! command -v xwininfo >/dev/null; then
    echo "WARNING: no class-data archive: xvfb-run and xwininfo are needed (apt-get install xvfb x11-utils);" \
      "the editor then takes ~1.5 s more CPU to start" >&2
    return 0
  fi
  rm -rf "$home" && mkdir -p "$home"
  cp "$cfg" "$WORK/launcher.cfg"
  # user.home too: Java takes it from the password database, not from HOME
  add_cfg_options "$cfg" "-XX:ArchiveClassesAtExit=\$APPDIR/$NAME.jsa" "-XX:DumpLoadedClassList=\$APPDIR/$NAME.classlist" \
    "-Duser.home=$home" -Xlog:cds=off -Xlog:cds+dynamic=off
  HOME=$home XDG_CONFIG_HOME=$home/.config XDG_CACHE_HOME=$home/.cache XDG_DATA_HOME=$home/.local/share \
    INPAINT_STUDIO_NO_RELAUNCH=1 timeout 300 xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" bash -c '
      "$1" >"$2" 2>&1 &
      app=$!
      for _ in $(seq 1800); do
        xwininfo -root -tree 2>/dev/null | grep -q "\"Inpaint Studio\"" && break
        kill -0 $app 2>/dev/null || break
        sleep 0.1
      done
      sleep 3   # what the editor loads right after its window shows
      kill -TERM $app 2>/dev/null
      wait $app' _ "$IMAGE/bin/$NAME" "$WORK/cds-dump.log" || true
  cp "$WORK/launcher.cfg" "$cfg"
  rm -rf "$home"
  if [ -s "$jsa" ] && [ -s "$list" ]; then
    chmod 644 "$list"
    chmod 644 "$jsa"
    add_cfg_options "$cfg" "-XX:SharedArchiveFile=\$APPDIR/$NAME.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off
    echo "class-data archive: $jsa ($(du -h "$jsa" | cut -f1))"
  else
    rm -f "$jsa" "$list"
    echo "WARNING: no class-data archive: the editor did not start on Xvfb (see $WORK/cds-dump.log)" >&2
  fi
}

IMAGE=$DEST/$NAME
for type in "${TYPES[@]}"; do
  case "$type" in
    app-image)
      step "jpackage app-image"
      rm -rf "$IMAGE"
      jpackage --type app-image "${COMMON[@]}" "${JAVA_OPTIONS[@]}" \
        --input "$WORK/input" --main-jar inpaint-studio.jar --main-class "$MAIN_CLASS" \
        --runtime-image "$WORK/runtime" --icon icons/inpaint-studio-256.png --dest "$DEST"
      install_launcher "$IMAGE/bin/$NAME"
      # the menu icon sizes for the deb's post-install (and for anyone unpacking the image)
      mkdir -p "$IMAGE/lib/icons"
      cp icons/inpaint-studio.svg icons/inpaint-studio-*.png "$IMAGE/lib/icons/"
      if [ "${NO_CDS:-}" = 1 ]; then
        echo "no class-data archive (NO_CDS=1)"
      else
        step "class-data archive for the editor"
        editor_cds_archive
      fi
      echo "app-image: $IMAGE ($(du -sh "$IMAGE" | cut -f1))"
      ;;
    deb)
      [ "$(uname -s)" = Linux ] || { echo "skipping deb: not on Linux"; continue; }
      [ -d "$IMAGE" ] || die "build the app-image first: $0 app-image deb"
      step "jpackage deb"
      for tool in fakeroot dpkg-deb objcopy; do
        command -v "$tool" >/dev/null || die "$tool not found: apt-get install -y fakeroot binutils"
      done
      # jpackage adds the libraries the JDK links against; these are what JavaFX opens at run time
      rm -f "$DEST"/*.deb
      export DPKG_DEB_COMPRESSOR_TYPE=${DEB_COMPRESSION:-xz}
      # Our own postinst/prerm (packaging/linux) instead of jpackage's, whose `xdg-desktop-menu install` fails the
      # installation where there is no system menu folder. They add /usr/bin/inpaint-studio, the menu entry and the
      # icons best effort, and record what they added in $DEB_STATE for the removal. No --linux-shortcut: jpackage
      # would then add its own desktop file and a dependency on xdg-utils, which the package does not need.
      rm -rf "$WORK/resources" && mkdir -p "$WORK/resources"
      sed -e "s|@VERSION@|$VERSION|" -e "s|@APP_DIR@|$DEB_APP_DIR|" -e "s|@DESCRIPTION@|$DESCRIPTION|" \
        packaging/linux/inpaint-studio.desktop > "$WORK/desktop-entry"
      for script in postinst prerm; do
        sed -e "s|@APP_DIR@|$DEB_APP_DIR|g" -e "s|@NAME@|$NAME|g" -e "s|@LINK@|/usr/bin/$NAME|g" \
          -e "s|@STATE@|$DEB_STATE|g" "packaging/linux/$script" \
          | awk -v entry="$WORK/desktop-entry" '$0 == "@DESKTOP_ENTRY@" { while ((getline l < entry) > 0) print l; next } { print }' \
          > "$WORK/resources/$script"
        ! grep -n '@[A-Z_]*@' "$WORK/resources/$script" || die "unfilled placeholder in $script"
      done
      # The image's class-data archive is valid only where the image was built: the package leaves it out and postinst
      # makes one under /opt from the class list (a static archive, made in ~5 s without a display).
      jsa=$IMAGE/lib/app/$NAME.jsa
      [ ! -f "$jsa" ] || mv "$jsa" "$WORK/image.jsa"
      jpackage --type deb "${COMMON[@]}" --app-image "$IMAGE" --dest "$DEST" \
        --resource-dir "$WORK/resources" --install-dir "$(dirname "$DEB_APP_DIR")" \
        --linux-package-name "$NAME" --linux-deb-maintainer "$DEB_MAINTAINER" \
        --linux-app-category graphics --linux-package-deps "libgtk-3-0, libgl1, libfontconfig1" \
        || { [ ! -f "$WORK/image.jsa" ] || mv "$WORK/image.jsa" "$jsa"; die "jpackage deb failed"; }
      [ ! -f "$WORK/image.jsa" ] || mv "$WORK/image.jsa" "$jsa"
      deb=$(ls "$DEST"/*.deb)
      echo "deb: $deb ($(du -h "$deb" | cut -f1), installed $(dpkg-deb -f "$deb" Installed-Size) KiB)"
      ;;
    *) die "unknown type $type (app-image, deb)" ;;
  esac
done
step "done"
