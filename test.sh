#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine: installs the Debian packages it needs, then builds
# everything (the OpenCV bridge too) and runs every test project. CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"
./install.sh --deps
dotnet test EdgeAgent.sln -c Release --nologo "$@"
