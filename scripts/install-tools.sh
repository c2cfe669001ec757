#!/usr/bin/env bash
# Installs the real tools that tests and benchmarks drive, when they are missing:
# redis-cli/redis-benchmark (redis-tools), promtool (prometheus), and for benchmarks
# redis-server and wrk. Usage: scripts/install-tools.sh [test|bench]
set -euo pipefail
purpose="${1:-test}"

declare -A package_of=([redis-cli]=redis-tools [redis-benchmark]=redis-tools [promtool]=prometheus)
if [[ "$purpose" == bench ]]; then
  package_of+=([redis-server]=redis-server [wrk]=wrk)
fi

missing=()
for tool in "${!package_of[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${package_of[$tool]}")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

mapfile -t packages < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "Installing ${packages[*]} (needed for ${purpose}s)..." >&2
sudo_cmd=()
[[ "$(id -u)" -ne 0 ]] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq >/dev/null
# Services are not started: tests and benchmarks start their own servers on loopback.
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
