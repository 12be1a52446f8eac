#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine: installs the Debian packages it needs, then builds
# everything (the OpenCV bridge too) and runs every test project. CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"
./install.sh --deps
# The fault-injection tests append their measured figures here; print them after the run, pass or fail.
FIGURES=$(mktemp /tmp/edgeagent-fault-figures-XXXXXX)
export EDGEAGENT_FAULT_FIGURES=$FIGURES
status=0
dotnet test EdgeAgent.sln -c Release --nologo "$@" || status=$?
if [ -s "$FIGURES" ]; then
  echo "Fault-injection figures (tests/EdgeAgent.FaultTests, kept in $FIGURES):"
  sed 's/^/  /' "$FIGURES"
fi
exit $status
