#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs the tools the tests drive, builds the
# solution and runs every test project. Test results (TRX) land in TestResults/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-tools.sh test
# helm is installed here when the machine has none; the chart tests also look for it there.
export PATH="$PWD/.tools/bin:$PATH"
rm -rf TestResults
dotnet test KubeCache.sln -c Release --logger "trx" --results-directory TestResults "$@"
