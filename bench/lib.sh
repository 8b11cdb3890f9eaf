# Shared helpers of the load run: start/stop processes, measure one target with wrk and /proc.
# shellcheck shell=bash

CLK_TCK=$(getconf CLK_TCK)
QUIET_PIDS=()   # set by the caller: processes that must be idle before a row is measured

# utime+stime of a process, all its threads included, in clock ticks (/proc/PID/stat fields 14 and 15).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

# wait_quiet PID...: until the processes together use under 5 % of a core for 2 s (at most 120 s), so that a JVM
# still compiling in the background does not take CPU from the row being measured.
wait_quiet() {
  local before after i
  for i in $(seq 1 60); do
    before=0; for p in "$@"; do before=$((before + $(cpu_ticks "$p"))); done
    sleep 2
    after=0; for p in "$@"; do after=$((after + $(cpu_ticks "$p"))); done
    [ $((after - before)) -le $((CLK_TCK / 10)) ] && return 0
  done
  echo "processes $* still busy after 120 s; measuring anyway" >&2
}

# measure LABEL PID URL CONNECTIONS SECONDS [wrk args...]
# Prints one table row: label, connections, requests/s, p50, p99 (µs), errors, CPU-µs per request of PID.
measure() {
  local label=$1 pid=$2 url=$3 conns=$4 secs=$5; shift 5
  local before after out line
  [ ${#QUIET_PIDS[@]} -gt 0 ] && wait_quiet "${QUIET_PIDS[@]}"
  before=$(cpu_ticks "$pid")
  out=$(wrk -t1 -c"$conns" -d"${secs}s" --timeout 10s -s "$BENCH/wrk-report.lua" "$@" "$url")
  after=$(cpu_ticks "$pid")
  line=$(grep '^RESULT' <<<"$out")
  [ -n "$line" ] || { echo "wrk printed no result for $label: $out" >&2; return 1; }
  eval "${line#RESULT }"   # requests= errors= non2xx= rps= p50_us= p90_us= p99_us= max_us=
  local cpu_us
  cpu_us=$(awk -v t=$((after - before)) -v hz="$CLK_TCK" -v n="$requests" 'BEGIN { printf "%.1f", n ? t * 1e6 / hz / n : 0 }')
  printf '| %-34s | %4d | %9.0f | %7d | %7d | %6d | %7s |\n' "$label" "$conns" "$rps" "$p50_us" "$p99_us" \
    "$((errors + non2xx))" "$cpu_us"
  LAST_REQUESTS=$requests LAST_ERRORS=$((errors + non2xx))
}

table_header() {
  printf '| %-34s | %4s | %9s | %7s | %7s | %6s | %7s |\n' target conn "req/s" "p50 µs" "p99 µs" errors "CPU-µs/req"
  printf '|%s|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..36})" ------ ----------- --------- --------- -------- ---------
}

# wait_http URL [curl args...]: poll until the URL answers (any status), at most 120 s.
wait_http() {
  local url=$1; shift
  for _ in $(seq 1 240); do
    curl -ks -o /dev/null "$@" "$url" && return 0
    sleep 0.5
  done
  echo "not answering after 120 s: $url" >&2; return 1
}

nginx_worker_pid() { pgrep -P "$1" | head -1; }

# gateway_jar: $GATEWAY_JAR, else a jar built from clean here (a jar packaged over an old target/ keeps resources
# deleted since). Never `install`: other checkouts share ~/.m2.
gateway_jar() {
  if [ -z "${GATEWAY_JAR:-}" ]; then
    (cd "$ROOT" && ./mvnw -B -q -ntp -pl gateway -am -DskipTests clean package)
    GATEWAY_JAR=$(ls "$ROOT"/gateway/target/gatehouse-gateway-*.jar | grep -v original | head -1)
  fi
}

# server_certificate: a throwaway listener certificate for localhost and *.localhost, $RUN/server.{crt,key}.
server_certificate() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost,DNS:*.localhost,IP:127.0.0.1" \
    -keyout "$RUN/server.key" -out "$RUN/server.crt" 2>/dev/null
}

# gatehouse_args PORT MANAGEMENT_PORT UPSTREAM_PORT: the options of every bench gateway (after gatehouse-setup.sh,
# which sets $GATEHOUSE_YAML and $ISSUER), in the array GATEHOUSE_ARGS; the inventory is nginx's stub on UPSTREAM_PORT.
gatehouse_args() {
  GATEHOUSE_ARGS=(
    --server.port="$1" --server.address=127.0.0.1
    --server.ssl.certificate="$RUN/server.crt" --server.ssl.certificate-private-key="$RUN/server.key"
    --management.server.port="$2" --management.server.address=127.0.0.1
    --gatehouse.config="$GATEHOUSE_YAML" --gatehouse.issuer=https://gatehouse.bench
    --gatehouse.signing.keys[0].kid=bench --gatehouse.signing.keys[0].path="$RUN/signing.pem"
    --gatehouse.device-ca="$RUN/device-ca.crt" --gatehouse.trusted-proxies=127.0.0.1/32
    --gatehouse.bearer.issuers[0].issuer-uri="$ISSUER" --gatehouse.bearer.issuers[0].audiences[0]=gatehouse-bench
    --gatehouse.inventory.url="http://127.0.0.1:$3" --gatehouse.inventory.token-uri="http://127.0.0.1:$3/token"
    --gatehouse.inventory.client-id=bench --gatehouse.inventory.client-secret=bench
  )
}
