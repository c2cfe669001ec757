#!/usr/bin/env bash
# The HTTP API beside nginx, side by side in one run: wrk GET /get (hits) and POST /put with the
# reference load profile (bench/wrk/common.lua: UUID keys, 256-character values) against the
# node, and against nginx answering the same requests with a constant body of the same size
# (the node's mean GET reply for keys of the profile; its PUT reply). nginx runs as a production
# one would: one worker per core, access log off. Rounds interleave the targets (the order
# reverses every round, so drift cancels); per target and workload it prints the median
# requests/s, the median CPU time per request of the target's processes (user + system from
# /proc, which other processes on a shared machine disturb far less) and p50, and per round the
# ratio node/nginx (min med max). With A=<commit>, a node built from A runs too ("base"), and
# node/base judges a change to the HTTP path.
# Usage: bench/http-wrk.sh   (env: ROUNDS=5 DURATION=5s THREADS=2 CONNECTIONS=64 A=<commit>)
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-5} DURATION=${DURATION:-5s} THREADS=${THREADS:-2} CONNECTIONS=${CONNECTIONS:-64}
declare -A http=([node]=17171 [base]=17173 [nginx]=17175) resp=([node]=16379 [base]=16381) pid=()

start_node "${http[node]}" "${resp[node]}" --max-memory 1gb; pid[node]=$LAST_PID
targets=(node nginx)
if [[ -n "${A:-}" ]]; then
  A=$(git -C "$REPO_DIR" rev-parse "$A")
  NODE_DLL=$(commit_dll "$A" CacheNode) start_node "${http[base]}" "${resp[base]}" --max-memory 1gb; pid[base]=$LAST_PID
  targets+=(base)
fi
for target in node ${A:+base}; do
  preload "http://127.0.0.1:${http[$target]}"
done

# nginx's bodies, measured on the node: GET replies of keys the preload wrote (a filler value
# brings one to their mean length) and the PUT reply.
node_url=http://127.0.0.1:${http[node]}
get_lengths=$(for _ in $(seq 1 50); do
  curl -s "$node_url/get?key=$(redis-cli -p "${resp[node]}" RANDOMKEY)" | wc -c
done)
sample_key=$(redis-cli -p "${resp[node]}" RANDOMKEY)
get_prefix="{\"status\":\"OK\",\"key\":\"$sample_key\",\"value\":\""
filler=$(awk -v p="${#get_prefix}" '{s += $1} END {printf "%d", s / NR - p - 2 + 0.5}' <<<"$get_lengths")
get_body="$get_prefix$(head -c "$filler" /dev/zero | tr '\0' x)\"}"
put_body=$(curl -s -X POST -d '{"key":"bench-put-reply","value":"x"}' "$node_url/put")

nginx_dir="$RESULTS_DIR/nginx"; mkdir -p "$nginx_dir"
cat >"$nginx_dir/nginx.conf" <<EOF
worker_processes $(nproc);
pid $nginx_dir/nginx.pid;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $nginx_dir/body;
  proxy_temp_path $nginx_dir/proxy;
  fastcgi_temp_path $nginx_dir/fastcgi;
  uwsgi_temp_path $nginx_dir/uwsgi;
  scgi_temp_path $nginx_dir/scgi;
  # Kestrel keeps a connection for any number of requests; nginx's default closes it after 1,000.
  keepalive_requests 1000000000;
  server {
    listen 127.0.0.1:${http[nginx]};
    default_type application/json;
    location = /get { return 200 '$get_body'; }
    location = /put { client_body_buffer_size 16k; return 200 '$put_body'; }
  }
}
EOF
/usr/sbin/nginx -p "$nginx_dir" -e "$nginx_dir/error.log" -c "$nginx_dir/nginx.conf" &
nginx_master=$!; PIDS+=("$nginx_master")
wait_port "${http[nginx]}"
deadline=$((SECONDS + 10))
until pid[nginx]=$(cat "/proc/$nginx_master/task/$nginx_master/children") && (($(wc -w <<<"${pid[nginx]}") == $(nproc))); do
  ((SECONDS < deadline)) || { echo "nginx did not start its workers; see $nginx_dir/error.log" >&2; exit 1; }
  sleep 0.2
done
[[ $(curl -s "http://127.0.0.1:${http[nginx]}/get") == "$get_body" && $(curl -s -d x "http://127.0.0.1:${http[nginx]}/put") == "$put_body" ]] \
  || { echo "nginx does not answer the bodies it was given; see $nginx_dir" >&2; exit 1; }

CSV="$RESULTS_DIR/http-wrk.csv"; : >"$CSV"; : >"$CSV.errors"
for round in $(seq 1 "$ROUNDS"); do
  order=("${targets[@]}"); ((round % 2)) || order=($(printf '%s\n' "${targets[@]}" | tac))
  for workload in get put; do
    for target in "${order[@]}"; do
      wrk_measure "$round" "$target" "c$CONNECTIONS" "${workload^^}" "http://127.0.0.1:${http[$target]}" "$workload" \
        -t"$THREADS" -c"$CONNECTIONS"
    done
  done
done

printf '\nwrk -t%s -c%s -d%s, %s interleaved rounds; medians over rounds, ratios per round min med max\n' \
  "$THREADS" "$CONNECTIONS" "$DURATION" "$ROUNDS"
printf 'nginx bodies: GET %s bytes, PUT %s bytes\n' "${#get_body}" "${#put_body}"
printf '%-4s %-10s' op figure; for t in "${targets[@]}"; do printf ' %10s' "$t"; done
printf '   %-17s' node/nginx; [[ -n "${A:-}" ]] && printf '   node/base (base %s)' "${A:0:7}"; echo
for op in GET PUT; do
  for column in 5 6 7; do
    case $column in 5) label='requests/s' ;; 6) label='CPU us/req' ;; 7) label='p50 us' ;; esac
    printf '%-4s %-10s' "$op" "$label"
    for t in "${targets[@]}"; do printf ' %10.2f' "$(median_of "$t" "c$CONNECTIONS" "$op" "$column")"; done
    printf '   %s' "$(ratios nginx node "c$CONNECTIONS" "$op" "$column")"
    [[ -n "${A:-}" ]] && printf '   %s' "$(ratios base node "c$CONNECTIONS" "$op" "$column")"
    echo
  done
done
if [[ -s "$CSV.errors" ]]; then echo "errors seen:"; cat "$CSV.errors"; else echo "no errors"; fi
