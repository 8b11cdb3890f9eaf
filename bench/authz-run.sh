#!/usr/bin/env bash
# The decision-service run (issue 20): in one run on the same machine, the same policy, token and device, assertion
# included, three ways in front of the same upstream:
#   (1) plain nginx as a TLS reverse proxy (no decision at all): the floor of a proxy;
#   (2) nginx + auth_request -> Gatehouse's decision listener (/authz/nginx), with the shipped
#       examples/proxies/nginx/gatehouse-auth-request.conf: CPU of nginx's worker and of Gatehouse, per request;
#   (3) Gatehouse as the full proxy (its full path, as bench/load-run.sh measures it).
# CPU per request of each process from /proc/PID/stat (utime+stime) over the wrk phase, as bench/load-run.sh does.
# See bench/README.md "Decision-service run"; the figures go into docs/performance.md.
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
SECONDS_PER_RUN=${SECONDS_PER_RUN:-15}
WARMUP_SECONDS=${WARMUP_SECONDS:-45}
ROW_WARMUP_SECONDS=${ROW_WARMUP_SECONDS:-15}
WARMUP_BURST_SECONDS=${WARMUP_BURST_SECONDS:-5}
CONNECTIONS=${CONNECTIONS:-32}
RUN=$(mktemp -d /tmp/gatehouse-authz-bench.XXXXXX)
chmod 755 "$RUN"   # nginx workers run as an unprivileged user and read files from here
source "$BENCH/lib.sh"

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

for tool in wrk nginx openssl python3 xxd envsubst; do
  command -v "$tool" >/dev/null || { echo "needs $tool (Debian: apt-get install -y wrk nginx-light xxd gettext-base)" >&2; exit 2; }
done

gateway_jar
server_certificate
source "$BENCH/gatehouse-setup.sh"   # device CA and certificate, signing key, bearer issuer and token, gatehouse.yaml

start_nginx_file() { # name conf-file; sets STARTED to the master's pid
  nginx -c "$2" -p "$RUN" -e "$RUN/$1-error.log" >"$RUN/$1.out" 2>&1 &
  STARTED=$!
  PIDS+=("$STARTED")
}
start_nginx() { # name conf-template port
  sed -e "s#__RUN__#$RUN#g" -e "s#__PORT__#$3#g" -e "s#__UPSTREAM__#38180#g" "$BENCH/nginx/$2" >"$RUN/$1.conf"
  start_nginx_file "$1" "$RUN/$1.conf"
}

# The auth_request proxy: the shipped server block, filled in with envsubst as its header says, in a main file like
# bench/nginx/proxy.conf's (one worker). One change for the bench: wrk cannot present a client certificate, so this
# copy passes the device header wrk sends ($http_x_forwarded_client_cert, the URL-encoded PEM nginx would put in
# $ssl_client_escaped_cert after verifying it) instead of $ssl_client_escaped_cert; the decision then validates and
# looks up the same device as on Gatehouse's full path, where wrk forwards it as a trusted front proxy would.
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=nginx-bench" \
  -keyout "$RUN/nginx-client.key" -out "$RUN/nginx-client.csr" 2>/dev/null
openssl x509 -req -in "$RUN/nginx-client.csr" -CA "$RUN/device-ca.crt" -CAkey "$RUN/device-ca.key" -CAcreateserial \
  -days 2 -extfile "$RUN/client.ext" -out "$RUN/nginx-client.crt" 2>/dev/null
# In a subshell: the GATEHOUSE_* names must not reach Gatehouse's own environment (it would read them as settings
# and refuse the unknown keys).
(
  export PUBLIC_HOST=app.localhost LISTEN=127.0.0.1:38449 TLS_CERT=$RUN/server.crt TLS_KEY=$RUN/server.key \
    DEVICE_CA=$RUN/device-ca.crt APP=127.0.0.1:38180 GATEHOUSE_AUTHZ=127.0.0.1:38448 GATEHOUSE_AUTHZ_NAME=localhost \
    GATEHOUSE_PUBLIC=127.0.0.1:38445 GATEHOUSE_CA=$RUN/server.crt NGINX_CLIENT_CERT=$RUN/nginx-client.crt \
    NGINX_CLIENT_KEY=$RUN/nginx-client.key
  envsubst '${PUBLIC_HOST} ${LISTEN} ${TLS_CERT} ${TLS_KEY} ${DEVICE_CA} ${APP} ${GATEHOUSE_AUTHZ} ${GATEHOUSE_AUTHZ_NAME} ${GATEHOUSE_PUBLIC} ${GATEHOUSE_CA} ${NGINX_CLIENT_CERT} ${NGINX_CLIENT_KEY}' \
    <"$ROOT/examples/proxies/nginx/gatehouse-auth-request.conf" \
    | sed 's#proxy_set_header X-Forwarded-Client-Cert $ssl_client_escaped_cert;#proxy_set_header X-Forwarded-Client-Cert $http_x_forwarded_client_cert;#' \
    >"$RUN/auth-request-server.conf"
)
grep -q 'X-Forwarded-Client-Cert $http_x_forwarded_client_cert' "$RUN/auth-request-server.conf" \
  || { echo "the shipped nginx configuration changed: the bench's device-header line was not found" >&2; exit 1; }
cat >"$RUN/auth-request.conf" <<CONF
worker_processes 1;
daemon off;
pid $RUN/auth-request.pid;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  include $RUN/auth-request-server.conf;
}
CONF

start_nginx upstream upstream.conf 38180; upstream_master=$STARTED
start_nginx proxy proxy.conf 38443; proxy_master=$STARTED
wait_http http://127.0.0.1:38180/
wait_http https://127.0.0.1:38443/
upstream_pid=$(nginx_worker_pid "$upstream_master")
proxy_pid=$(nginx_worker_pid "$proxy_master")

# One Gatehouse serves both: its public listener (the full path) and its decision listener (nginx's auth_request),
# trusting nginx by its source address on loopback (the certificate nginx presents is not asked for).
gatehouse_args 38445 38446 38180
GATEHOUSE_ARGS+=(--gatehouse.authz.http.port=38448 --gatehouse.authz.address=127.0.0.1
  --gatehouse.authz.callers[0].name=nginx --gatehouse.authz.callers[0].cidrs[0]=127.0.0.1/32)
# shellcheck disable=SC2086
java -Xmx512m ${GATEHOUSE_JAVA_OPTS:-} -jar "$GATEWAY_JAR" "${GATEHOUSE_ARGS[@]}" >"$RUN/gatehouse.out" 2>"$RUN/gatehouse.err" &
gatehouse_pid=$!
PIDS+=("$gatehouse_pid")
for _ in $(seq 1 600); do
  [ "$(curl -ks -o /dev/null -w '%{http_code}' http://127.0.0.1:38446/actuator/health/readiness)" = 200 ] && break
  kill -0 "$gatehouse_pid" 2>/dev/null || { echo "Gatehouse exited; see $RUN/gatehouse.err" >&2; tail -20 "$RUN/gatehouse.out" >&2; exit 1; }
  sleep 0.1
done

start_nginx_file auth-request "$RUN/auth-request.conf"; auth_master=$STARTED
wait_http https://127.0.0.1:38449/ -H "Host: app.localhost"
auth_pid=$(nginx_worker_pid "$auth_master")

full_headers=(-H "Host: app.localhost" -H "Authorization: Bearer $BEARER" -H "X-Forwarded-Client-Cert: $DEVICE_CERT_HEADER")
for target in "Gatehouse full path|https://127.0.0.1:38445/reports/q3" "nginx + auth_request|https://127.0.0.1:38449/reports/q3"; do
  check=$(curl -ks -o "$RUN/check.json" -w '%{http_code}' "${full_headers[@]}" "${target#*|}")
  [ "$check" = 200 ] || { echo "${target%%|*} answered $check, not 200:" >&2; cat "$RUN/check.json" >&2; tail -5 "$RUN/gatehouse.out" >&2; exit 1; }
done
# The decision reached the upstream with an assertion (nginx's auth_request_set/proxy_set_header): the upstream
# nginx answers a fixed body, so ask Gatehouse's log instead: one line per request with via.dialect nginx.
grep -q '"dialect":"nginx"' "$RUN/gatehouse.out" || { echo "no decision-log line with via.dialect nginx" >&2; exit 1; }
decision_lines() { grep -c '"request_id"' "$RUN/gatehouse.out" || true; }

warm() {
  local secs=$1 conns=$2; shift 2
  local left=$secs
  while [ "$left" -gt 0 ]; do
    local burst=$(( left < WARMUP_BURST_SECONDS ? left : WARMUP_BURST_SECONDS ))
    wrk -t1 -c"$conns" -d"${burst}s" "$@" >/dev/null
    left=$(( left - burst ))
  done
}
warm "$WARMUP_SECONDS" "$CONNECTIONS" "${full_headers[@]}" https://127.0.0.1:38445/reports/q3
warm "$WARMUP_SECONDS" "$CONNECTIONS" "${full_headers[@]}" https://127.0.0.1:38449/reports/q3

# measure2 LABEL PROXY_PID GATEHOUSE_PID URL CONNECTIONS SECONDS [wrk args...]: one row with the CPU per request of
# the proxy in front (nginx's worker, or - for none) and of Gatehouse (or - for none), and their sum, over the same
# wrk phase.
measure2() {
  local label=$1 a=$2 b=$3 url=$4 conns=$5 secs=$6; shift 6
  wait_quiet "$gatehouse_pid"
  local a0=0 b0=0 a1=0 b1=0 out line
  [ "$a" = - ] || a0=$(cpu_ticks "$a"); [ "$b" = - ] || b0=$(cpu_ticks "$b")
  out=$(wrk -t1 -c"$conns" -d"${secs}s" --timeout 10s -s "$BENCH/wrk-report.lua" "$@" "$url")
  [ "$a" = - ] || a1=$(cpu_ticks "$a"); [ "$b" = - ] || b1=$(cpu_ticks "$b")
  line=$(grep '^RESULT' <<<"$out")
  [ -n "$line" ] || { echo "wrk printed no result for $label: $out" >&2; return 1; }
  eval "${line#RESULT }"
  local ua ub
  ua=$(awk -v t=$((a1 - a0)) -v hz="$CLK_TCK" -v n="$requests" 'BEGIN { printf "%.1f", n ? t * 1e6 / hz / n : 0 }')
  ub=$(awk -v t=$((b1 - b0)) -v hz="$CLK_TCK" -v n="$requests" 'BEGIN { printf "%.1f", n ? t * 1e6 / hz / n : 0 }')
  printf '| %-34s | %4d | %8.0f | %7d | %7d | %6d | %9s | %9s | %9s |\n' "$label" "$conns" "$rps" "$p50_us" \
    "$p99_us" "$((errors + non2xx))" "$([ "$a" = - ] && echo — || echo "$ua")" "$([ "$b" = - ] && echo — || echo "$ub")" \
    "$(awk -v x="$ua" -v y="$ub" 'BEGIN { printf "%.1f", x + y }')"
  LAST_REQUESTS=$requests LAST_ERRORS=$((errors + non2xx))
}

echo "# Gatehouse decision-service run, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, ${SECONDS_PER_RUN}s per row, wrk -t1"
echo
printf '| %-34s | %4s | %8s | %7s | %7s | %6s | %9s | %9s | %9s |\n' target conn "req/s" "p50 µs" "p99 µs" errors \
  "CPU-µs/req nginx" "CPU-µs/req Gatehouse" "CPU-µs/req total"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..36})" ------ ---------- --------- --------- -------- ----------- ----------- -----------
LOG=()
for c in 1 "$CONNECTIONS"; do
  measure2 "plain nginx (no decision)" "$proxy_pid" - https://127.0.0.1:38443/reports/q3 "$c" "$SECONDS_PER_RUN" \
    "${full_headers[@]}"
  warm "$ROW_WARMUP_SECONDS" "$c" "${full_headers[@]}" https://127.0.0.1:38449/reports/q3
  before=$(decision_lines)
  measure2 "nginx + auth_request → Gatehouse" "$auth_pid" "$gatehouse_pid" https://127.0.0.1:38449/reports/q3 "$c" \
    "$SECONDS_PER_RUN" "${full_headers[@]}"
  sleep 1; LOG+=("nginx+Gatehouse c=$c: $LAST_REQUESTS requests, $(( $(decision_lines) - before )) lines, $LAST_ERRORS errors")
  warm "$ROW_WARMUP_SECONDS" "$c" "${full_headers[@]}" https://127.0.0.1:38445/reports/q3
  before=$(decision_lines)
  measure2 "Gatehouse full proxy" - "$gatehouse_pid" https://127.0.0.1:38445/reports/q3 "$c" "$SECONDS_PER_RUN" \
    "${full_headers[@]}"
  sleep 1; LOG+=("Gatehouse c=$c: $LAST_REQUESTS requests, $(( $(decision_lines) - before )) lines, $LAST_ERRORS errors")
done
echo
echo "Upstream nginx (same in every row, not counted): pid $upstream_pid. Decision log: ${LOG[*]}"
echo "RSS after the run: Gatehouse $(( $(rss_kib "$gatehouse_pid") / 1024 )) MiB, nginx auth_request worker $(( $(rss_kib "$auth_pid") / 1024 )) MiB"
