#!/usr/bin/env bash
# EdgeAgent installer: Debian packages, the OpenCV bridge, the .NET build, and the `edgeagent` command.
# Idempotent and quiet when there is nothing left to do. Run from a checkout on Debian 12.
#
#   ./install.sh              packages + bridge + build + `edgeagent` on PATH
#   ./install.sh --deps       only the Debian packages (what the test suite needs before `dotnet test`)
#   ./install.sh --service    also the service: its user, /etc/edgeagent, /var/lib/edgeagent, the systemd
#                             unit (enabled where systemd runs); then `edgeagent provision` (README "Installing on a unit")
#   ./install.sh --uninstall  remove the command and service, keep settings, keys and data;  add --purge to remove them too
set -euo pipefail

cd "$(dirname "$(readlink -f "$0")")"
REPO=$(pwd)

DEPS_ONLY=0
SERVICE=0
UNINSTALL=0
PURGE=0
for arg in "$@"; do
  case "$arg" in
    --deps) DEPS_ONLY=1 ;;
    --service) SERVICE=1 ;;
    --uninstall) UNINSTALL=1 ;;
    --purge) PURGE=1 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown option '$arg' (see ./install.sh --help)" >&2; exit 2 ;;
  esac
done

say() { echo "install.sh: $*"; }
die() { echo "install.sh: $*" >&2; exit 1; }

if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
  PREFIX=${EDGEAGENT_PREFIX:-/opt/edgeagent}
  BIN_DIR=${EDGEAGENT_BIN_DIR:-/usr/local/bin}
else
  command -v sudo >/dev/null 2>&1 && SUDO="sudo" || SUDO=""
  PREFIX=${EDGEAGENT_PREFIX:-$HOME/.local/share/edgeagent}
  BIN_DIR=${EDGEAGENT_BIN_DIR:-$HOME/.local/bin}
fi

# ---- Debian packages ------------------------------------------------------------------------------
# OpenCV (the bridge's build and run time), Tesseract + English model, Mosquitto broker/clients/library,
# FFmpeg (decoding, sample generation), socat (serial tests), fonts (sample generation), build tools,
# systemd (the service manager the unit is for; systemd-analyze checks the unit in the tests).
# opencv-doc: OpenCV's sample pictures of people (BSD-3-Clause), used by the redaction tests.
PACKAGES=(
  libopencv-core-dev libopencv-imgproc-dev libopencv-objdetect-dev libopencv-ml-dev libopencv-dnn-dev opencv-data opencv-doc
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libavdevice59 libjpeg-dev libpng-dev pkg-config
  libtesseract5 tesseract-ocr-eng
  mosquitto mosquitto-clients libmosquitto1
  ffmpeg socat fonts-dejavu-core fonts-dejavu-extra
  cmake g++ make openssl ca-certificates tzdata procps libsystemd0 sqlite3 systemd
)

install_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found: this installer targets Debian 12. Install by hand: ${missing[*]}"
  if [ -n "$SUDO" ] || [ "$(id -u)" -eq 0 ]; then :; else die "root or sudo is needed to install: ${missing[*]}"; fi
  say "installing ${#missing[@]} Debian packages: ${missing[*]}"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The mosquitto package starts a system broker on 1883; the agent and its tests start their own.
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    $SUDO systemctl disable --now mosquitto >/dev/null 2>&1 || true
  fi
}

check_dotnet() {
  command -v dotnet >/dev/null 2>&1 || die "the .NET SDK is not on PATH: install the .NET 10 SDK (https://learn.microsoft.com/dotnet/core/install/linux-debian)"
  dotnet --list-sdks 2>/dev/null | grep -q '^10\.' || die "the .NET 10 SDK is needed (found: $(dotnet --list-sdks | tr '\n' ' '))"
}

# ---- the OpenCV bridge ----------------------------------------------------------------------------
build_bridge() {
  local out="$REPO/build/native/libedgeagent_vision.so"
  local newer
  newer=$(find src/EdgeAgent.Vision.Native -newer "$out" -type f 2>/dev/null | head -n 1 || true)
  if [ -f "$out" ] && [ -z "$newer" ]; then return 0; fi
  say "building the OpenCV bridge"
  cmake -S src/EdgeAgent.Vision.Native -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build/native -j "$(nproc)" -- --no-print-directory >/dev/null
}

# ---- the agent ------------------------------------------------------------------------------------
publish_agent() {
  local stamp="$PREFIX/.installed-from"
  local newer=""
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$REPO" ]; then
    newer=$(find src hardware-profiles samples models Directory.Build.props Directory.Packages.props build/native \
      -newer "$stamp" -type f -not -path '*/bin/*' -not -path '*/obj/*' 2>/dev/null | head -n 1 || true)
    [ -z "$newer" ] && return 0
  fi
  say "building and publishing the agent to $PREFIX"
  $SUDO mkdir -p "$PREFIX"
  local staging
  staging=$(mktemp -d)
  dotnet publish src/EdgeAgent/EdgeAgent.csproj -c Release -o "$staging" --nologo -v q -p:SkipNativeBuild=true >/dev/null \
    || { rm -rf "$staging"; die "dotnet publish failed: run 'dotnet build src/EdgeAgent -c Release' to see why"; }
  $SUDO rm -rf "$PREFIX/app.new"
  $SUDO mv "$staging" "$PREFIX/app.new"
  $SUDO rm -rf "$PREFIX/app"
  $SUDO mv "$PREFIX/app.new" "$PREFIX/app"
  $SUDO chmod -R a+rX "$PREFIX/app"
  echo "$REPO" | $SUDO tee "$stamp" >/dev/null
}

install_command() {
  local dotnet_path wrapper
  dotnet_path=$(readlink -f "$(command -v dotnet)")
  wrapper=$(printf '#!/bin/sh\n# Installed by EdgeAgent install.sh\nexec "%s" "%s/app/edgeagent.dll" "$@"\n' "$dotnet_path" "$PREFIX")
  if [ -f "$BIN_DIR/edgeagent" ] && [ "$(cat "$BIN_DIR/edgeagent")" = "$wrapper" ]; then return 0; fi
  $SUDO mkdir -p "$BIN_DIR"
  printf '%s\n' "$wrapper" | $SUDO tee "$BIN_DIR/edgeagent" >/dev/null
  $SUDO chmod 755 "$BIN_DIR/edgeagent"
  say "installed the edgeagent command in $BIN_DIR"
  case ":$PATH:" in *":$BIN_DIR:"*) ;; *) say "note: $BIN_DIR is not on your PATH; add it, or run $BIN_DIR/edgeagent" ;; esac
}

# ---- the service (systemd) ------------------------------------------------------------------------
install_service() {
  if [ "$(id -u)" -ne 0 ]; then
    say "--service needs root (a system user, /etc/edgeagent, /var/lib/edgeagent, a systemd unit): run sudo ./install.sh --service"
    say "the agent is installed for you and runs in the foreground with: $BIN_DIR/edgeagent run --config FILE"
    exit 1
  fi
  bash "$REPO/deploy/install-service.sh" install "$BIN_DIR" "$PREFIX/app"
}

uninstall() {
  local root=${EDGEAGENT_ROOT:-}
  if [ -e "$root/etc/systemd/system/edgeagent.service" ] || [ -e "$root/etc/edgeagent" ] || [ -e "$root/var/lib/edgeagent" ]; then
    if [ "$(id -u)" -eq 0 ] || [ -n "$SUDO" ]; then
      $SUDO env EDGEAGENT_ROOT="$root" bash "$REPO/deploy/install-service.sh" uninstall $([ "$PURGE" -eq 1 ] && echo --purge)
    else
      say "the service's files need root to remove: run sudo ./install.sh --uninstall"
    fi
  fi
  $SUDO rm -f "$BIN_DIR/edgeagent"
  $SUDO rm -rf "$PREFIX"
  say "removed the edgeagent command and $PREFIX"
}

if [ "$UNINSTALL" -eq 1 ]; then uninstall; exit 0; fi
install_packages
[ "$DEPS_ONLY" -eq 1 ] && exit 0
check_dotnet
build_bridge
publish_agent
install_command
[ "$SERVICE" -eq 1 ] && install_service
exit 0
