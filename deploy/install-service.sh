#!/usr/bin/env bash
# Installs the systemd service for an agent already published by install.sh. Safe to re-run.
# Usage: install-service.sh PREFIX BIN_DIR   (called by install.sh --service, as root)
set -euo pipefail
PREFIX=$1
BIN_DIR=$2
HERE=$(cd "$(dirname "$0")" && pwd)
say() { echo "install.sh: $*"; }

getent group edgeagent >/dev/null || groupadd --system edgeagent
getent passwd edgeagent >/dev/null || useradd --system --gid edgeagent --home-dir /var/lib/edgeagent --shell /usr/sbin/nologin edgeagent

install -d -m 0750 -o root -g edgeagent /etc/edgeagent
install -d -m 0750 -o edgeagent -g edgeagent /var/lib/edgeagent
if [ ! -f /etc/edgeagent/appsettings.json ]; then
  install -m 0640 -o root -g edgeagent "$HERE/appsettings.service.json" /etc/edgeagent/appsettings.json
  say "wrote /etc/edgeagent/appsettings.json: set Camera:Source, Mqtt:Host, Mqtt:Site and Mqtt:CameraId"
fi
if [ ! -f /etc/edgeagent/unit.key ]; then
  "$BIN_DIR/edgeagent" keys init --key /etc/edgeagent/unit.key >/dev/null
  say "made the unit secret /etc/edgeagent/unit.key"
fi
chown edgeagent:edgeagent /etc/edgeagent/unit.key
chmod 0600 /etc/edgeagent/unit.key

sed "s|@BIN_DIR@|$BIN_DIR|g" "$HERE/edgeagent.service" > /etc/systemd/system/edgeagent.service.new
if ! cmp -s /etc/systemd/system/edgeagent.service.new /etc/systemd/system/edgeagent.service 2>/dev/null; then
  mv /etc/systemd/system/edgeagent.service.new /etc/systemd/system/edgeagent.service
  systemctl daemon-reload
  say "installed /etc/systemd/system/edgeagent.service"
else
  rm -f /etc/systemd/system/edgeagent.service.new
fi
systemctl enable edgeagent >/dev/null 2>&1
say "the service is enabled; start it with: systemctl start edgeagent (after editing /etc/edgeagent/appsettings.json)"
