#!/usr/bin/env bash
# The gateway load run: wrk against, in one run on the same machine,
#   (1) the upstream directly, (2) nginx as a TLS reverse proxy (twice: the second is the day's noise),
#   (3) Gatehouse on a public pass-through route, (4) Gatehouse's full path,
# plus a bare Spring Cloud Gateway app for cold start and memory. See bench/README.md.
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
SECONDS_PER_RUN=${SECONDS_PER_RUN:-15}
WARMUP_SECONDS=${WARMUP_SECONDS:-45}   # per JVM target, unmeasured: the JIT compiles the hot path first
ROW_WARMUP_SECONDS=${ROW_WARMUP_SECONDS:-15}   # again before each JVM row, same URL and connections, unmeasured
WARMUP_BURST_SECONDS=${WARMUP_BURST_SECONDS:-5}   # warm-up runs in bursts of new connections (see warm in lib.sh)
CONNECTIONS=${CONNECTIONS:-32}
COLD_STARTS=${COLD_STARTS:-3}   # launches of each JVM for the cold-start figure (the median is reported)
RUN=$(mktemp -d /tmp/gatehouse-bench.XXXXXX)
chmod 755 "$RUN"   # nginx workers run as an unprivileged user and read the issuer files from here
source "$BENCH/lib.sh"

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

for tool in wrk nginx openssl python3 xxd; do
  command -v "$tool" >/dev/null || { echo "needs $tool (Debian: apt-get install -y wrk nginx-light xxd)" >&2; exit 2; }
done

# Gatehouse is built from clean for every run unless GATEWAY_JAR names a jar: a jar packaged over an old target/
# keeps resources deleted since (a removed logback-spring.xml was measured that way once).
BARE_JAR=$(ls "$BENCH"/bare-scg/target/bare-scg-*.jar 2>/dev/null | grep -v original | head -1 || true)
gateway_jar
if [ -z "$BARE_JAR" ]; then
  "$ROOT/mvnw" -B -q -ntp -f "$BENCH/bare-scg/pom.xml" -DskipTests package
  BARE_JAR=$(ls "$BENCH"/bare-scg/target/bare-scg-*.jar | grep -v original | head -1)
fi

server_certificate
source "$BENCH/gatehouse-setup.sh"

start_nginx upstream upstream.conf 38180; upstream_master=$STARTED
start_nginx proxy-a proxy.conf 38443; proxy_a_master=$STARTED
start_nginx proxy-b proxy.conf 38444; proxy_b_master=$STARTED
wait_http http://127.0.0.1:38180/
wait_http https://127.0.0.1:38443/
wait_http https://127.0.0.1:38444/
upstream_pid=$(nginx_worker_pid "$upstream_master")
proxy_a=$(nginx_worker_pid "$proxy_a_master")
proxy_b=$(nginx_worker_pid "$proxy_b_master")

start_bare() {
  start_java bare-scg https://127.0.0.1:38447/ -jar "$BARE_JAR" --server.port=38447 --server.address=127.0.0.1 \
    --server.ssl.certificate="$RUN/server.crt" --server.ssl.certificate-private-key="$RUN/server.key"
}
start_gatehouse() {
  gatehouse_args 38445 38446 38180
  # shellcheck disable=SC2086  # GATEHOUSE_JAVA_OPTS: extra JVM options, e.g. a JFR recording for a profile
  PROBE_HOST=pass.localhost start_java gatehouse https://127.0.0.1:38445/ ${GATEHOUSE_JAVA_OPTS:-} -jar "$GATEWAY_JAR" \
    "${GATEHOUSE_ARGS[@]}"
}
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print v[int((NR + 1) / 2)]}'; }

# Cold start: COLD_STARTS launches of each, alternating, one JVM starting at a time, the same JVM flags for both; a
# single launch varies by +-15 % here, so the median is reported. The last launch of each serves the load rows.
BARE_COLDS=() GATEHOUSE_COLDS=()
for i in $(seq 1 "$COLD_STARTS"); do
  start_bare; bare_pid=$STARTED; BARE_COLDS+=("$COLD_MS")
  if [ "$i" -lt "$COLD_STARTS" ]; then stop_java "$bare_pid"; fi
  start_gatehouse; gatehouse_pid=$STARTED; GATEHOUSE_COLDS+=("$COLD_MS")
  if [ "$i" -lt "$COLD_STARTS" ]; then stop_java "$gatehouse_pid"; fi
done
bare_cold=$(median "${BARE_COLDS[@]}") gatehouse_cold=$(median "${GATEHOUSE_COLDS[@]}")

full_headers=(-H "Host: app.localhost" -H "Authorization: Bearer $BEARER" -H "X-Forwarded-Client-Cert: $DEVICE_CERT_HEADER")
check=$(curl -ks -o "$RUN/check.json" -w '%{http_code}' "${full_headers[@]}" https://127.0.0.1:38445/reports/q3)
[ "$check" = 200 ] || { echo "full path answered $check, not 200:" >&2; cat "$RUN/check.json" >&2; tail -5 "$RUN/gatehouse.out" >&2; exit 1; }
decision_lines() { grep -c '"request_id"' "$RUN/gatehouse.out" || true; }

# Warm-up: the JVMs compile the request path before anything is measured.
warm "$WARMUP_SECONDS" "$CONNECTIONS" https://127.0.0.1:38447/
warm "$WARMUP_SECONDS" "$CONNECTIONS" -H "Host: pass.localhost" https://127.0.0.1:38445/
warm "$WARMUP_SECONDS" "$CONNECTIONS" "${full_headers[@]}" https://127.0.0.1:38445/reports/q3

# A JVM row is measured after the same load ran unmeasured for ROW_WARMUP_SECONDS: one connection and 32 take
# different paths through the code, and the JIT (whose threads count in the process's CPU) recompiles for each.
warm_row() { # URL CONNECTIONS [wrk args...]
  local url=$1 conns=$2; shift 2
  warm "$ROW_WARMUP_SECONDS" "$conns" "$@" "$url"
}
warm_measure() { # as measure
  warm_row "$3" "$4" "${@:6}"
  measure "$@"
}

QUIET_PIDS=("$bare_pid" "$gatehouse_pid")   # every row waits until both JVMs are idle (lib.sh)
echo "# Gatehouse load run, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, ${SECONDS_PER_RUN}s per row, wrk -t1"
echo
table_header
for c in 1 "$CONNECTIONS"; do
  measure "upstream direct (CPU: upstream)" "$upstream_pid" http://127.0.0.1:38180/ "$c" "$SECONDS_PER_RUN"
  measure "nginx TLS proxy" "$proxy_a" https://127.0.0.1:38443/ "$c" "$SECONDS_PER_RUN"
  measure "nginx TLS proxy, again (noise)" "$proxy_b" https://127.0.0.1:38444/ "$c" "$SECONDS_PER_RUN"
  warm_measure "bare Spring Cloud Gateway" "$bare_pid" https://127.0.0.1:38447/ "$c" "$SECONDS_PER_RUN"
  warm_measure "Gatehouse pass-through (public)" "$gatehouse_pid" https://127.0.0.1:38445/ "$c" "$SECONDS_PER_RUN" \
    -H "Host: pass.localhost"
  warm_row https://127.0.0.1:38445/reports/q3 "$c" "${full_headers[@]}"
  before=$(decision_lines)
  measure "Gatehouse full path" "$gatehouse_pid" https://127.0.0.1:38445/reports/q3 "$c" "$SECONDS_PER_RUN" \
    "${full_headers[@]}"
  sleep 1  # let the decision-log writer drain before counting
  after=$(decision_lines)
  FULL_LOG+=("c=$c: $LAST_REQUESTS requests completed, $((after - before)) decision-log lines, $LAST_ERRORS errors")
done

echo
echo "Decision log (full path): ${FULL_LOG[*]}"
echo "Cold start to first 200, median of $COLD_STARTS alternating launches: bare Spring Cloud Gateway ${bare_cold} ms" \
  "(${BARE_COLDS[*]}), Gatehouse ${gatehouse_cold} ms (${GATEHOUSE_COLDS[*]})"
echo "RSS after the run: bare Spring Cloud Gateway $(( $(rss_kib "$bare_pid") / 1024 )) MiB, Gatehouse $(( $(rss_kib "$gatehouse_pid") / 1024 )) MiB"
echo "Signer: $(grep -ho 'ES256 signing: .*' "$RUN/gatehouse.out" | head -1 || true)"
