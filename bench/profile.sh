#!/usr/bin/env bash
# A CPU profile of a packaged Gatehouse under wrk load (issue 17, "profile before and after"): the pass-through
# route (PROFILE_TARGET=pass, default) or the full path (PROFILE_TARGET=full) of load-run.sh, or the bare Spring
# Cloud Gateway app of load-run.sh (PROFILE_TARGET=bare, BARE_JAR or bench/bare-scg/target), CONNECTIONS (32)
# connections. The JVM is warmed up unprofiled (WARMUP_SECONDS, 45, in 5 s bursts as in load-run.sh), then
# async-profiler is attached with `jcmd PID JVMTI.agent_load` for PROFILE_SECONDS (30) of the same load, sampling
# CPU time of all threads. bench/profile-summary.py then prints where the time goes: by thread group, by the
# innermost Gatehouse stage on the stack and by the library of the sampled frame, per request.
#   ASYNC_PROFILER=/path/libasyncProfiler.so (the Maven Central jar tools.profiler:async-profiler:4.1:linux-x64
#   holds it under linux-x64/). Not a test; see bench/README.md.
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
PROFILE_TARGET=${PROFILE_TARGET:-pass}
CONNECTIONS=${CONNECTIONS:-32}
WARMUP_SECONDS=${WARMUP_SECONDS:-45}
PROFILE_SECONDS=${PROFILE_SECONDS:-30}
PROFILE_EVENT=${PROFILE_EVENT:-cpu}   # async-profiler's event: cpu (perf_events, else ctimer), itimer, alloc, wall
ASYNC_PROFILER=${ASYNC_PROFILER:?set ASYNC_PROFILER to libasyncProfiler.so}
UPSTREAM_PORT=${UPSTREAM_PORT:-38380}
PORT=${PORT:-38745}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-38746}
RUN=$(mktemp -d /tmp/gatehouse-profile.XXXXXX)
chmod 755 "$RUN"
OUT=${PROFILE_OUT:-$RUN/profile.collapsed}
source "$BENCH/lib.sh"

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

[ "$PROFILE_TARGET" = bare ] || gateway_jar

server_certificate
source "$BENCH/gatehouse-setup.sh"
sed -e "s#__RUN__#$RUN#g" -e "s#127.0.0.1:38180#127.0.0.1:$UPSTREAM_PORT#" "$BENCH/nginx/upstream.conf" >"$RUN/upstream.conf"
nginx -c "$RUN/upstream.conf" -p "$RUN" -e "$RUN/upstream-error.log" >"$RUN/upstream.out" 2>&1 &
PIDS+=("$!")
wait_http "http://127.0.0.1:$UPSTREAM_PORT/"

if [ "$PROFILE_TARGET" = bare ]; then
  BARE_JAR=${BARE_JAR:-$(ls "$BENCH"/bare-scg/target/bare-scg-*.jar | grep -v original | head -1)}
  java -Xmx512m -jar "$BARE_JAR" --server.port="$PORT" --server.address=127.0.0.1 \
    --server.ssl.certificate="$RUN/server.crt" --server.ssl.certificate-private-key="$RUN/server.key" \
    --spring.cloud.gateway.server.webflux.routes[0].id=all \
    --spring.cloud.gateway.server.webflux.routes[0].uri="http://127.0.0.1:$UPSTREAM_PORT" \
    --spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/** \
    >"$RUN/gatehouse.out" 2>"$RUN/gatehouse.err" &
else
  # shellcheck disable=SC2086  # GATEHOUSE_JAVA_OPTS: extra JVM options
  gatehouse_args "$PORT" "$MANAGEMENT_PORT" "$UPSTREAM_PORT"
  java -Xmx512m ${GATEHOUSE_JAVA_OPTS:-} -jar "$GATEWAY_JAR" "${GATEHOUSE_ARGS[@]}" \
    >"$RUN/gatehouse.out" 2>"$RUN/gatehouse.err" &
fi
gatehouse_pid=$!
PIDS+=("$gatehouse_pid")
for _ in $(seq 1 600); do
  [ "$(curl -ks -o /dev/null -w '%{http_code}' -H "Host: $([ "$PROFILE_TARGET" = bare ] && echo localhost || echo pass.localhost)" \
    "https://127.0.0.1:$PORT/")" = 200 ] && break
  kill -0 "$gatehouse_pid" 2>/dev/null || { echo "gatehouse exited; see $RUN/gatehouse.err" >&2; exit 1; }
  sleep 0.1
done

if [ "$PROFILE_TARGET" = full ]; then
  URL=https://127.0.0.1:$PORT/reports/q3
  headers=(-H "Host: app.localhost" -H "Authorization: Bearer $BEARER" -H "X-Forwarded-Client-Cert: $DEVICE_CERT_HEADER")
elif [ "$PROFILE_TARGET" = bare ]; then
  URL=https://127.0.0.1:$PORT/
  headers=(-H "Host: localhost")
else
  URL=https://127.0.0.1:$PORT/
  headers=(-H "Host: pass.localhost")
fi
for _ in 1 2 3 4 5; do
  [ "$(curl -ks -o /dev/null -w '%{http_code}' "${headers[@]}" "$URL")" = 200 ] && break
  sleep 2
done

left=$WARMUP_SECONDS
while [ "$left" -gt 0 ]; do
  wrk -t1 -c"$CONNECTIONS" -d"$(( left < 5 ? left : 5 ))s" "${headers[@]}" "$URL" >/dev/null
  left=$(( left - 5 ))
done

# jcmd splits its arguments at '=', so the agent's options go in double quotes of their own.
jcmd "$gatehouse_pid" JVMTI.agent_load "$ASYNC_PROFILER" "\"start,event=$PROFILE_EVENT,interval=${PROFILE_INTERVAL:-1ms},threads\"" >"$RUN/profiler-start.txt"
before=$(cpu_ticks "$gatehouse_pid")
out=$(wrk -t1 -c"$CONNECTIONS" -d"${PROFILE_SECONDS}s" --timeout 10s -s "$BENCH/wrk-report.lua" "${headers[@]}" "$URL")
after=$(cpu_ticks "$gatehouse_pid")
jcmd "$gatehouse_pid" JVMTI.agent_load "$ASYNC_PROFILER" "\"stop,file=$OUT,collapsed\"" >"$RUN/profiler-stop.txt"
grep -q 'return code: 0' "$RUN/profiler-start.txt" || { echo "profiler did not start: $(cat "$RUN/profiler-start.txt")" >&2; exit 1; }
line=$(grep '^RESULT' <<<"$out")
eval "${line#RESULT }"
cpu_us=$(awk -v t=$((after - before)) -v hz="$CLK_TCK" -v n="$requests" 'BEGIN { printf "%.1f", t * 1e6 / hz / n }')
echo "# Gatehouse CPU profile ($PROFILE_TARGET), $(date -u +%Y-%m-%dT%H:%MZ), $CONNECTIONS connections, ${PROFILE_SECONDS}s," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "requests=$requests rps=$rps p50_us=$p50_us p99_us=$p99_us errors=$((errors + non2xx)) cpu_us_per_req=$cpu_us"
echo "profile: $OUT ($(cat "$RUN/profiler-start.txt" | tr '\n' ' '))"
python3 "$BENCH/profile-summary.py" "$OUT" "$requests" "$cpu_us"
