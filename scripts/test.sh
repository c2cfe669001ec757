#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs the tools the tests drive, builds the
# solution and runs every test project. Test results (TRX) land in TestResults/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-tools.sh test
rm -rf TestResults
dotnet test KubeCache.sln -c Release --logger "trx" --results-directory TestResults "$@"
