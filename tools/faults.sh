#!/usr/bin/env bash
# The fault-injection acceptance runs at the issue's sizes: tests/EdgeAgent.FaultTests with EDGEAGENT_FAULTS=full
# (the broker killed for 35 s during a 200-pass replay, the agent SIGKILLed 10 times at random moments, the outbox's
# 4 MB tmpfs filled up, TLS with client certificates and an impostor broker, sd_notify, a corrupt and a stalled
# camera). CI runs the same tests small (a 40-pass replay, a 10 s outage, 3 kills). Prints each test's figures.
#
#   tools/faults.sh [--filter EXPR] [--no-build]      e.g. --filter "FullyQualifiedName~BrokerOutage|FullyQualifiedName~Kill"
#
# Needs root (the tmpfs mount), mosquitto, openssl and ffmpeg (./install.sh --deps). About 11 minutes on the busy development machine,
# plus about 40 s once per machine to render the 200-pass video (cached under /tmp/edgeagent-fault-videos-v1).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

FILTER="" BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --filter) FILTER=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n 2,11p "$0"; exit 0 ;;
    *) echo "faults: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ "$BUILD" = 1 ]; then
  dotnet build tests/EdgeAgent.FaultTests -c Release --nologo -v quiet
fi
FIGURES=${EDGEAGENT_FAULT_FIGURES:-/tmp/edgeagent-fault-figures-full.txt}
rm -f "$FIGURES"
export EDGEAGENT_FAULT_FIGURES=$FIGURES
status=0
EDGEAGENT_FAULTS=full dotnet test tests/EdgeAgent.FaultTests -c Release --no-build --nologo ${FILTER:+--filter "$FILTER"} || status=$?
echo "Fault-injection figures (full size, kept in $FIGURES):"
if [ -s "$FIGURES" ]; then sed 's/^/  /' "$FIGURES"; else echo "  (none: no test got as far as its figure)"; fi
exit $status
