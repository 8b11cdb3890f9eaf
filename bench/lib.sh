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
  wrk_row "$label" "$url" "$conns" "$secs" "$pid" "$@" || return 1
  local cpu_us=${CPU_US[0]}
  printf '| %-34s | %4d | %9.0f | %7d | %7d | %6d | %7s |\n' "$label" "$conns" "$rps" "$p50_us" "$p99_us" \
    "$((errors + non2xx))" "$cpu_us"
  LAST_REQUESTS=$requests LAST_ERRORS=$((errors + non2xx))
}

# wrk_row LABEL URL CONNECTIONS SECONDS "PID..." [wrk args...]: one measured wrk run (after wait_quiet); sets requests,
# errors, non2xx, rps, p50_us, p90_us, p99_us, max_us (wrk-report.lua) and CPU_US, the CPU-µs per request of each PID
# in order ("-" for none: 0).
wrk_row() {
  local label=$1 url=$2 conns=$3 secs=$4 pids=$5; shift 5
  local before=() after=() out line p i t
  [ ${#QUIET_PIDS[@]} -gt 0 ] && wait_quiet "${QUIET_PIDS[@]}"
  for p in $pids; do if [ "$p" = - ]; then before+=(0); else before+=("$(cpu_ticks "$p")"); fi; done
  out=$(wrk -t1 -c"$conns" -d"${secs}s" --timeout 10s -s "$BENCH/wrk-report.lua" "$@" "$url")
  for p in $pids; do if [ "$p" = - ]; then after+=(0); else after+=("$(cpu_ticks "$p")"); fi; done
  line=$(grep '^RESULT' <<<"$out")
  [ -n "$line" ] || { echo "wrk printed no result for $label: $out" >&2; return 1; }
  eval "${line#RESULT }"   # requests= errors= non2xx= rps= p50_us= p90_us= p99_us= max_us=
  CPU_US=()
  for i in "${!before[@]}"; do
    t=$((after[i] - before[i]))
    CPU_US+=("$(awk -v t="$t" -v hz="$CLK_TCK" -v n="$requests" 'BEGIN { printf "%.1f", n ? t * 1e6 / hz / n : 0 }')")
  done
}

# measure_split LABEL PROXY_PID GATEHOUSE_PID URL CONNECTIONS SECONDS [wrk args...]: one row of split_table_header's
# table: the CPU-µs per request of a proxy (an nginx worker) and of Gatehouse apart and summed ("-": not in the path).
measure_split() {
  local label=$1 proxy=$2 gatehouse=$3 url=$4 conns=$5 secs=$6; shift 6
  wrk_row "$label" "$url" "$conns" "$secs" "$proxy $gatehouse" "$@" || return 1
  local a=${CPU_US[0]} b=${CPU_US[1]} sum
  sum=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1f", a + b }')
  [ "$proxy" = - ] && a=—
  [ "$gatehouse" = - ] && b=—
  printf '| %-44s | %4d | %7.0f | %6d | %6d | %6d | %8s | %9s | %7s |\n' "$label" "$conns" "$rps" "$p50_us" \
    "$p99_us" "$((errors + non2xx))" "$a" "$b" "$sum"
  LAST_REQUESTS=$requests LAST_ERRORS=$((errors + non2xx))
}

split_table_header() {
  printf '| %-44s | %4s | %7s | %6s | %6s | %6s | %8s | %9s | %7s |\n' target conn "req/s" "p50 µs" "p99 µs" errors \
    "nginx CPU-µs/req" "Gatehouse CPU-µs/req" "sum CPU-µs/req"
  printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..46})" ------ --------- -------- -------- -------- \
    ------------------ --------------------- ----------------
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

# The callers keep the pids they start in the array PIDS and stop them on exit.
# start_nginx NAME CONF PORT: nginx from bench/nginx/CONF (__RUN__, __PORT__, __UPSTREAM__ filled in; the upstream's
# own 127.0.0.1:38180 moved to $UPSTREAM_PORT), or from CONF itself when it is an absolute path; sets STARTED to the
# master's pid.
start_nginx() {
  local conf=$2
  [ "${conf#/}" = "$conf" ] && conf=$BENCH/nginx/$conf
  sed -e "s#__RUN__#$RUN#g" -e "s#__PORT__#$3#g" -e "s#__UPSTREAM__#${UPSTREAM_PORT:-38180}#g" \
    -e "s#127.0.0.1:38180;#127.0.0.1:${UPSTREAM_PORT:-38180};#" "$conf" >"$RUN/$1.conf"
  nginx -c "$RUN/$1.conf" -p "$RUN" -e "$RUN/$1-error.log" >"$RUN/$1.out" 2>&1 &
  STARTED=$!
  PIDS+=("$STARTED")
}

# start_java NAME PROBE_URL [java args...]: starts a JVM, sets STARTED and COLD_MS (launch → first 200 on PROBE_URL,
# asked with Host: $PROBE_HOST, default localhost).
start_java() {
  local name=$1 probe=$2; shift 2
  local t0; t0=$(date +%s%N)
  java -Xmx512m "$@" >"$RUN/$name.out" 2>"$RUN/$name.err" &
  STARTED=$!
  PIDS+=("$STARTED")
  for _ in $(seq 1 600); do
    if [ "$(curl -ks -o /dev/null -w '%{http_code}' -H "Host: ${PROBE_HOST:-localhost}" "$probe")" = 200 ]; then
      COLD_MS=$(( ($(date +%s%N) - t0) / 1000000 )); return 0
    fi
    kill -0 "$STARTED" 2>/dev/null || { echo "$name exited; see $RUN/$name.err" >&2; tail -20 "$RUN/$name.out" >&2; exit 1; }
    sleep 0.1
  done
  echo "$name did not answer in 60 s" >&2; exit 1
}

stop_java() { kill "$1"; wait "$1" 2>/dev/null || true; }

# warm SECONDS CONNECTIONS [wrk args...] URL: unmeasured load in bursts of WARMUP_BURST_SECONDS, each burst with new
# connections. A JVM warmed by one long burst compiles its hot path for connections that never open or close; the
# next wrk's 32 handshakes and the last one's closes then hit uncommon traps in that code, and C2 throws away and
# recompiles hundreds of Netty methods inside the measured row (10-24 % of the JVM's CPU there, measured). Bursts
# make the warm-up look like a server's life, where connections come and go all the time.
warm() {
  local secs=$1 conns=$2; shift 2
  local left=$secs
  while [ "$left" -gt 0 ]; do
    local burst=$(( left < WARMUP_BURST_SECONDS ? left : WARMUP_BURST_SECONDS ))
    wrk -t1 -c"$conns" -d"${burst}s" "$@" >/dev/null
    left=$(( left - burst ))
  done
}

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

# caller_certificate: a caller CA and a client certificate issued by it for a proxy asking Gatehouse's decision
# service, URI SAN spiffe://bench.local/nginx: $RUN/caller-ca.crt, $RUN/caller.{crt,key}.
caller_certificate() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=Bench Caller CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$RUN/caller-ca.key" -out "$RUN/caller-ca.crt" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=bench-nginx" \
    -keyout "$RUN/caller.key" -out "$RUN/caller.csr" 2>/dev/null
  printf 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\nsubjectAltName=URI:spiffe://bench.local/nginx\n' \
    >"$RUN/caller.ext"
  openssl x509 -req -in "$RUN/caller.csr" -CA "$RUN/caller-ca.crt" -CAkey "$RUN/caller-ca.key" -CAcreateserial \
    -days 2 -extfile "$RUN/caller.ext" -out "$RUN/caller.crt" 2>/dev/null
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
