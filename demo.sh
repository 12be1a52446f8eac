#!/usr/bin/env bash
# The main job on the bundled sample: installs the agent (packages, bridge, build, `edgeagent` command),
# then replays samples/uk-traffic.mp4 through the whole pipeline to a local MQTT broker that it starts,
# printing every message the backend receives. Extra arguments go to `edgeagent demo`.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"
./install.sh
if command -v edgeagent >/dev/null 2>&1; then exec edgeagent demo "$@"; fi
exec "${EDGEAGENT_BIN_DIR:-$HOME/.local/bin}/edgeagent" demo "$@"
