#!/usr/bin/env bash
# The agent as a system service: its user, its folders, a first configuration, the unit secret and the
# systemd unit. Called by install.sh --service / --uninstall (as root), after the agent is published.
# Safe to re-run: nothing that exists is overwritten except the unit file, and only when it changed.
#
#   install-service.sh install   BIN_DIR APP_DIR     user, /etc/edgeagent, /var/lib/edgeagent, unit
#   install-service.sh uninstall [--purge]           unit gone; settings, keys and data kept unless --purge
#
# Environment (tests install into a temporary root; a real install leaves these unset):
#   EDGEAGENT_ROOT     prefix for every system path (default: none, i.e. /)
#   EDGEAGENT_USER     the service's user and group (default: edgeagent, created as a system user)
#   EDGEAGENT_SYSTEMD  auto (default: use systemctl when systemd runs), or no
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=${EDGEAGENT_ROOT:-}
SERVICE_USER=${EDGEAGENT_USER:-edgeagent}
ETC=$ROOT/etc/edgeagent
DATA=$ROOT/var/lib/edgeagent
UNIT_DIR=$ROOT/etc/systemd/system
UNIT=$UNIT_DIR/edgeagent.service

say() { echo "install.sh: $*"; }
die() { echo "install.sh: $*" >&2; exit 1; }

# systemd runs when PID 1 is systemd: /run/systemd/system exists then (sd_booted(3)). A container, a
# chroot or a box with another init has systemctl installed but nothing answering it.
systemd_present() {
  [ "${EDGEAGENT_SYSTEMD:-auto}" != "no" ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1
}

# systemctl acts on the running system only: never for files installed under another root.
systemd_running() { systemd_present && [ -z "$ROOT" ]; }

why_no_systemd() {
  if [ "${EDGEAGENT_SYSTEMD:-auto}" = "no" ]; then echo "EDGEAGENT_SYSTEMD=no"
  elif ! command -v systemctl >/dev/null 2>&1; then echo "systemd is not installed"
  elif ! systemd_present; then echo "systemd is not running here (PID 1 is $(ps -o comm= -p 1 2>/dev/null || echo unknown), e.g. a container or another init)"
  else echo "installing into $ROOT, not the running system"
  fi
}

ensure_user() {
  if getent passwd "$SERVICE_USER" >/dev/null; then return 0; fi
  [ -n "$ROOT" ] && die "user $SERVICE_USER does not exist (with EDGEAGENT_ROOT set, give an existing user in EDGEAGENT_USER)"
  getent group "$SERVICE_USER" >/dev/null || groupadd --system "$SERVICE_USER"
  # video and dialout: the camera (/dev/video*) and the serial inputs (/dev/ttyS*, ttyUSB*, ttyACM*).
  useradd --system --gid "$SERVICE_USER" --groups video,dialout --home-dir /var/lib/edgeagent --no-create-home \
    --shell /usr/sbin/nologin --comment "EdgeAgent ANPR edge agent" "$SERVICE_USER"
  say "created the system user $SERVICE_USER (groups video, dialout)"
}

# install -m MODE -o USER -g GROUP SRC DEST, but only when DEST is missing: settings and keys are the
# site's once written; a re-run must never replace them.
install_once() {
  local mode=$1 owner=$2 src=$3 dest=$4
  if [ -e "$dest" ]; then return 1; fi
  install -m "$mode" $(owner "${owner%%:*}" "${owner##*:}") "$src" "$dest"
}

# -o/-g for install(1); a non-root run (a test in a temporary root) owns what it writes and cannot chown.
owner() { [ "$(id -u)" -eq 0 ] && echo "-o $1 -g $2" || true; }

do_install() {
  local bin_dir=$1 app_dir=$2
  [ -x "$bin_dir/edgeagent" ] || die "$bin_dir/edgeagent is missing: publish the agent first (./install.sh)"
  ensure_user
  local group
  group=$(id -gn "$SERVICE_USER")

  # /etc/edgeagent: settings, profile, policy and keys. Readable by the service's group, writable by root.
  install -d -m 0750 $(owner root "$group") "$ETC"
  install -d -m 0750 $(owner "$SERVICE_USER" "$group") "$DATA"

  if install_once 0640 "root:$group" "$HERE/appsettings.service.json" "$ETC/appsettings.json"; then
    say "wrote $ETC/appsettings.json (a template: run 'edgeagent provision' to fill it in)"
  fi
  if install_once 0640 "root:$group" "$app_dir/hardware-profiles/anpr-1080p-ir.json" "$ETC/profile.json"; then
    say "wrote $ETC/profile.json (anpr-1080p-ir; 'edgeagent provision --profile' picks another)"
  fi
  if [ ! -e "$ETC/unit.key" ]; then
    "$bin_dir/edgeagent" keys init --key "$ETC/unit.key" >/dev/null
    say "made the unit secret $ETC/unit.key (key id $("$bin_dir/edgeagent" keys id --key "$ETC/unit.key"))"
  fi
  # The agent refuses a secret anyone else can read; the service user must own it to read it.
  for secret in "$ETC/unit.key" "$ETC/tls/client.key" "$ETC/mqtt.password"; do
    [ -e "$secret" ] || continue
    [ "$(id -u)" -eq 0 ] && chown "$SERVICE_USER:$group" "$secret"
    chmod 0600 "$secret"
  done

  install -d -m 0755 "$UNIT_DIR"
  sed -e "s|@BIN_DIR@|$bin_dir|g" -e "s|^User=edgeagent$|User=$SERVICE_USER|" -e "s|^Group=edgeagent$|Group=$group|" \
    "$HERE/edgeagent.service" > "$UNIT.new"
  if cmp -s "$UNIT.new" "$UNIT"; then
    rm -f "$UNIT.new"
  else
    chmod 0644 "$UNIT.new"
    mv "$UNIT.new" "$UNIT"
    say "wrote $UNIT"
    systemd_running && systemctl daemon-reload
  fi

  if systemd_running; then
    systemctl enable edgeagent >/dev/null 2>&1
    say "the service is enabled (Restart=always, watchdog); start it after provisioning: systemctl start edgeagent"
  else
    say "could not enable the service: $(why_no_systemd)."
    say "  the unit file is in place for a machine that boots with systemd; nothing will start the agent here."
    say "  the agent itself is installed and runs in the foreground (under any supervisor) with:"
    say "    runuser -u $SERVICE_USER -- $bin_dir/edgeagent run --config /etc/edgeagent/appsettings.json"
  fi
  say "next: edgeagent provision --site SITE --camera CAM --profile PROFILE --broker HOST:PORT [--source URI] [--ca/--cert/--key FILE]"
  say "then: edgeagent doctor"
}

do_uninstall() {
  local purge=0
  [ "${1:-}" = "--purge" ] && purge=1
  if [ -f "$UNIT" ]; then
    if systemd_running; then
      systemctl disable --now edgeagent >/dev/null 2>&1 || true
    fi
    rm -f "$UNIT"
    systemd_running && systemctl daemon-reload || true
    say "removed $UNIT"
  fi
  if [ "$purge" -eq 1 ]; then
    rm -rf "$DATA" "$ETC"
    say "purged $DATA and $ETC (settings, keys, outbox and audit log)"
    if [ -z "$ROOT" ] && [ "$SERVICE_USER" = edgeagent ] && getent passwd edgeagent >/dev/null; then
      userdel edgeagent 2>/dev/null && say "removed the user edgeagent" || true
      getent group edgeagent >/dev/null && groupdel edgeagent 2>/dev/null || true
    fi
  else
    [ -d "$ETC" ] || [ -d "$DATA" ] && say "kept $ETC and $DATA (settings, keys, outbox, audit log); add --purge to remove them"
  fi
  return 0
}

case "${1:-}" in
  install) shift; [ $# -eq 2 ] || die "usage: install-service.sh install BIN_DIR APP_DIR"; do_install "$@" ;;
  uninstall) shift; do_uninstall "$@" ;;
  *) die "usage: install-service.sh install BIN_DIR APP_DIR | uninstall [--purge]" ;;
esac
