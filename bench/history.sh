#!/usr/bin/env bash
# The history checker's long run: SCHEDULES seeded schedules (default 200) from SEED (default 1),
# each a few random ring changes (add, remove, both at once, back to back, some finished at the
# deadline) applied by five node and three router processes at their own moments, under clients
# writing, removing, expiring, incrementing and reading through every router. Prints each
# schedule's figures, then the totals: operations, violations by kind (must be 0) and the share
# of requests through a lagging router answered correctly (goal >= 99.9%). Not run in CI; the
# test suite runs a few fixed seeds (tests/KubeCache.Consistency.Tests, HistoryTests).
# Options after the seed: "flushall" runs a FLUSHALL during the changes of every schedule (else a
# quarter); "cuts" (or cuts=SHARE, default 0.3) links the nodes to each other through proxies that
# cut that share of their connections part-way: handoff batches and takes that arrive in part, and
# answers lost after the peer acted.
# Usage: bench/history.sh [schedules] [seed] [flushall] [cuts[=share]]
# Reproduce one schedule: bench/history.sh 1 SEED (with the same options)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/History -c Release -v quiet -nologo >/dev/null
exec dotnet bench/History/bin/Release/net10.0/KubeCache.History.Bench.dll "${1:-200}" "${2:-1}" "${@:3}"
