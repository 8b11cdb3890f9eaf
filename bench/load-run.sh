#!/usr/bin/env bash
# The gateway load run: wrk against, in one run on the same machine,
#   (1) the upstream directly, (2) nginx as a TLS reverse proxy (twice: the second is the day's noise),
#   (3) Gatehouse on a public pass-through route, (4) Gatehouse's full path.
# Prints requests/s, p50/p99 and CPU-µs per request of each proxy process. See bench/README.md.
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
SECONDS_PER_RUN=${SECONDS_PER_RUN:-15}
CONNECTIONS=${CONNECTIONS:-32}
RUN=$(mktemp -d /tmp/gatehouse-bench.XXXXXX)
source "$BENCH/lib.sh"

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

for tool in wrk nginx openssl; do
  command -v "$tool" >/dev/null || { echo "needs $tool (Debian: apt-get install -y wrk nginx-light)" >&2; exit 2; }
done

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,DNS:*.localhost,IP:127.0.0.1" \
  -keyout "$RUN/server.key" -out "$RUN/server.crt" 2>/dev/null

start_nginx() { # name conf-template port; sets STARTED to the master's pid
  sed -e "s#__RUN__#$RUN#g" -e "s#__PORT__#$3#g" -e "s#__UPSTREAM__#18180#g" "$BENCH/nginx/$2" >"$RUN/$1.conf"
  nginx -c "$RUN/$1.conf" -p "$RUN" -e "$RUN/$1-error.log" >"$RUN/$1.out" 2>&1 &
  STARTED=$!
  PIDS+=("$STARTED")
}

start_nginx upstream upstream.conf 18180; upstream_master=$STARTED
start_nginx proxy-a proxy.conf 18443; proxy_a_master=$STARTED
start_nginx proxy-b proxy.conf 18444; proxy_b_master=$STARTED
wait_http http://127.0.0.1:18180/
wait_http https://127.0.0.1:18443/
wait_http https://127.0.0.1:18444/
upstream_pid=$(nginx_worker_pid "$upstream_master")
proxy_a=$(nginx_worker_pid "$proxy_a_master")
proxy_b=$(nginx_worker_pid "$proxy_b_master")

echo "# Gatehouse load run, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, ${SECONDS_PER_RUN}s per row"
echo
table_header
for c in 1 "$CONNECTIONS"; do
  measure "upstream direct (CPU: upstream)" "$upstream_pid" http://127.0.0.1:18180/ "$c" "$SECONDS_PER_RUN"
  measure "nginx TLS proxy" "$proxy_a" https://127.0.0.1:18443/ "$c" "$SECONDS_PER_RUN"
  measure "nginx TLS proxy, again (noise)" "$proxy_b" https://127.0.0.1:18444/ "$c" "$SECONDS_PER_RUN"
  if [ -n "${GATEHOUSE_PID:-}" ]; then
    source "$BENCH/gatehouse-targets.sh"
  fi
done
