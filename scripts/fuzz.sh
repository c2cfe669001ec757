#!/usr/bin/env bash
# The long fuzz run over the parser targets (RESP command and reply readers, HTTP JSON bodies,
# query strings, ring.json): prints cases/s and outcome counts per target, and a reproducer
# for any failure. Usage: scripts/fuzz.sh [cases per target, default 1000000] [seed, default 1] [target]
# KVCACHE_FUZZ_CASES and KVCACHE_FUZZ_SEED are read when the arguments are absent.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build tests/KubeCache.Fuzz.Tests -c Release --nologo -v quiet
exec dotnet tests/KubeCache.Fuzz.Tests/bin/Release/net10.0/KubeCache.Fuzz.Tests.dll "${1:-${KVCACHE_FUZZ_CASES:-1000000}}" "${2:-${KVCACHE_FUZZ_SEED:-1}}" ${3:+"$3"}
