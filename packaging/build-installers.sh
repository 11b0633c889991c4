#!/usr/bin/env bash
# Builds the installable app from the Maven build output (target/inpaint-studio.jar + target/lib):
#   jdeps -> jlink (trimmed runtime) -> jpackage app-image -> jpackage deb (Linux).
# Usage: packaging/build-installers.sh [app-image] [deb]      (default: both; deb only on Linux)
# Env:   SKIP_MVN=1   do not run `mvn package` when target/ is missing
#        DEST=dir     where the image and installers go (default target/installer)
#        DEB_COMPRESSION=xz|zstd|gzip  .deb compressor (default xz: smallest download; zstd: ~10x faster to build)
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
  --java-options '-Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error'
  --java-options '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn'
)
COMMON=(
  --name "$NAME" --app-version "$APP_VERSION"
  --vendor "Inpaint Studio" --copyright "Inpaint Studio contributors"
  --description "Stable Diffusion inpainting editor and command line, offline, in pure Java"
)

IMAGE=$DEST/$NAME
for type in "${TYPES[@]}"; do
  case "$type" in
    app-image)
      step "jpackage app-image"
      rm -rf "$IMAGE"
      jpackage --type app-image "${COMMON[@]}" "${JAVA_OPTIONS[@]}" \
        --input "$WORK/input" --main-jar inpaint-studio.jar --main-class "$MAIN_CLASS" \
        --runtime-image "$WORK/runtime" --icon icons/inpaint-studio-256.png --dest "$DEST"
      # the Linux desktop file and menu icon sizes for the deb's post-install (and for anyone unpacking the image)
      mkdir -p "$IMAGE/lib/icons"
      cp icons/inpaint-studio.svg icons/inpaint-studio-*.png "$IMAGE/lib/icons/"
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
      rm -rf "$WORK/resources" && mkdir -p "$WORK/resources"
      sed "s/@VERSION@/$VERSION/" packaging/linux/inpaint-studio.desktop > "$WORK/resources/$NAME.desktop"
      jpackage --type deb "${COMMON[@]}" --app-image "$IMAGE" --dest "$DEST" \
        --resource-dir "$WORK/resources" --icon icons/inpaint-studio-256.png \
        --linux-package-name "$NAME" --linux-deb-maintainer "maintainers@inpaintstudio.invalid" \
        --linux-menu-group "Graphics;2DGraphics;RasterGraphics" --linux-app-category graphics \
        --linux-shortcut --linux-package-deps "libgtk-3-0, libgl1, libfontconfig1"
      deb=$(ls "$DEST"/*.deb)
      echo "deb: $deb ($(du -h "$deb" | cut -f1), installed $(dpkg-deb -f "$deb" Installed-Size) KiB)"
      ;;
    *) die "unknown type $type (app-image, deb)" ;;
  esac
done
step "done"
