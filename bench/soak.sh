#!/usr/bin/env bash
# Soak (issue 18): Gatehouse's full path (bearer + forwarded device certificate + cached posture + policy + ES256
# assertion + decision log, as in load-run.sh) for SOAK_MINUTES (30) at half its saturation throughput, measured
# first in the same run. Every SAMPLE_SECONDS (30) one window of paced load ends and the script samples the gateway:
# RSS, live heap after a forced full GC, committed heap, open file descriptors, threads, and the window's
# throughput, latency, errors and CPU-µs per request. Writes a CSV and prints a summary with pass/fail:
#   - RSS: the last sample at most RSS_MAX_GROWTH_PCT (10) % above the sample at the end of the warm-up
#     (WARMUP_MINUTES, 5, of the soak);
#   - live heap after GC flat: the least-squares line through the samples after the warm-up rises over that span by
#     less than HEAP_MAX_RISE_PCT (5) % of their mean;
#   - no growth in open file descriptors: the least-squares line through the samples after the warm-up rises by
#     less than FD_MAX_RISE (5) descriptors over that span. The count moves with the connections open at the sample
#     (upstream keep-alive connections live until nginx closes them after 75 s idle), so a single sample is no
#     criterion; a leak of one descriptor per (requests of the soak / 5) would fail it. Sockets and other
#     descriptors (files, pipes, epoll) are also counted apart; threads are reported with the same fit.
# Not a test: a run prints figures for docs/performance.md. See bench/README.md.
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
export BENCH
SOAK_MINUTES=${SOAK_MINUTES:-30}
SAMPLE_SECONDS=${SAMPLE_SECONDS:-30}
WARMUP_MINUTES=${WARMUP_MINUTES:-5}
CONNECTIONS=${CONNECTIONS:-32}
JIT_WARMUP_SECONDS=${JIT_WARMUP_SECONDS:-45}   # unmeasured load in 5 s bursts before the saturation row
SATURATION_SECONDS=${SATURATION_SECONDS:-20}
RSS_MAX_GROWTH_PCT=${RSS_MAX_GROWTH_PCT:-10}
HEAP_MAX_RISE_PCT=${HEAP_MAX_RISE_PCT:-5}
FD_MAX_RISE=${FD_MAX_RISE:-5}
HEAP=${HEAP:-512m}
# Ports of their own, so the soak can run next to load-run.sh / anon-flood.sh (38180, 38445-38447, 38545).
UPSTREAM_PORT=${UPSTREAM_PORT:-38280}
PORT=${PORT:-38645}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-38646}
RUN=$(mktemp -d /tmp/gatehouse-soak.XXXXXX)
chmod 755 "$RUN"   # nginx workers run as an unprivileged user and read the issuer files from here
CSV=${SOAK_CSV:-$RUN/soak.csv}
source "$BENCH/lib.sh"

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

for tool in wrk nginx openssl python3 xxd jcmd; do
  command -v "$tool" >/dev/null || { echo "needs $tool (Debian: apt-get install -y wrk nginx-light xxd)" >&2; exit 2; }
done

gateway_jar

server_certificate
source "$BENCH/gatehouse-setup.sh"

sed -e "s#__RUN__#$RUN#g" -e "s#127.0.0.1:38180#127.0.0.1:$UPSTREAM_PORT#" "$BENCH/nginx/upstream.conf" >"$RUN/upstream.conf"
nginx -c "$RUN/upstream.conf" -p "$RUN" -e "$RUN/upstream-error.log" >"$RUN/upstream.out" 2>&1 &
PIDS+=("$!")
wait_http "http://127.0.0.1:$UPSTREAM_PORT/"

# The decision log (one JSON line per request) goes to its own file: ~0.5 KB a line, ~0.5 GB for a default run.
# shellcheck disable=SC2086  # GATEHOUSE_JAVA_OPTS: extra JVM options
gatehouse_args "$PORT" "$MANAGEMENT_PORT" "$UPSTREAM_PORT"
java -Xmx"$HEAP" ${GATEHOUSE_JAVA_OPTS:-} -jar "$GATEWAY_JAR" "${GATEHOUSE_ARGS[@]}" \
  >"$RUN/gatehouse.out" 2>"$RUN/gatehouse.err" &
gatehouse_pid=$!
PIDS+=("$gatehouse_pid")
for _ in $(seq 1 600); do
  [ "$(curl -ks -o /dev/null -w '%{http_code}' -H 'Host: pass.localhost' "https://127.0.0.1:$PORT/")" = 200 ] && break
  kill -0 "$gatehouse_pid" 2>/dev/null || { echo "gatehouse exited; see $RUN/gatehouse.err" >&2; exit 1; }
  sleep 0.1
done

URL=https://127.0.0.1:$PORT/reports/q3
full_headers=(-H "Host: app.localhost" -H "Authorization: Bearer $BEARER" -H "X-Forwarded-Client-Cert: $DEVICE_CERT_HEADER")
# A few tries: on a busy machine the first posture lookup can miss its 1 s timeout (device then counts as unknown).
for _ in 1 2 3 4 5; do
  check=$(curl -ks -o "$RUN/check.json" -w '%{http_code}' "${full_headers[@]}" "$URL")
  [ "$check" = 200 ] && break
  sleep 2
done
[ "$check" = 200 ] || { echo "full path answered $check, not 200:" >&2; cat "$RUN/check.json" >&2; exit 1; }

live_heap_mib() { # a full GC, then the heap in use and committed (G1: "garbage-first heap total NK, used NK")
  jcmd "$gatehouse_pid" GC.run >/dev/null
  jcmd "$gatehouse_pid" GC.heap_info | awk '/heap/ && /used/ {
    for (i = 1; i <= NF; i++) { if ($i == "used") u = $(i+1); if ($i == "total") t = $(i+1) }
    sub(/K,?/, "", u); sub(/K,?/, "", t); printf "%.1f %.1f", u / 1024, t / 1024; exit }'
}
fds() { find "/proc/$gatehouse_pid/fd" -mindepth 1 -maxdepth 1 | wc -l; }
sockets() { find "/proc/$gatehouse_pid/fd" -mindepth 1 -maxdepth 1 -lname 'socket:*' | wc -l; }
threads() { awk '/^Threads/ {print $2}' "/proc/$gatehouse_pid/status"; }
loadavg() { cut -d' ' -f1 /proc/loadavg; }
metric() { # the value of a Prometheus series without labels
  curl -s "http://127.0.0.1:$MANAGEMENT_PORT/actuator/prometheus" | awk -v n="$1" '$1 == n { printf "%.0f", $2 }'
}

# JIT warm-up in bursts of new connections (why: load-run.sh, warm), then the saturation row.
left=$JIT_WARMUP_SECONDS
while [ "$left" -gt 0 ]; do
  wrk -t1 -c"$CONNECTIONS" -d"$(( left < 5 ? left : 5 ))s" "${full_headers[@]}" "$URL" >/dev/null
  left=$(( left - 5 ))
done
echo "# Gatehouse soak, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, -Xmx$HEAP, $(java -version 2>&1 | head -1)"
echo "# run directory $RUN; load average before the saturation row: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
table_header
measure "full path, saturation" "$gatehouse_pid" "$URL" "$CONNECTIONS" "$SATURATION_SECONDS" "${full_headers[@]}"
saturation_rps=$(awk -v n="$LAST_REQUESTS" -v s="$SATURATION_SECONDS" 'BEGIN { printf "%.0f", n / s }')
RATE=${SOAK_RATE:-$(( saturation_rps / 2 ))}   # SOAK_RATE=N: a given rate instead (the saturation row still runs)
[ "$RATE" -gt 0 ] || { echo "no saturation throughput measured" >&2; exit 1; }
echo
echo "Soak: $SOAK_MINUTES min at $RATE req/s (saturation $saturation_rps), $CONNECTIONS connections, paced by" \
  "bench/soak-pace.lua; a sample every $SAMPLE_SECONDS s (after a full GC); warm-up: the first $WARMUP_MINUTES min"

windows=$(( SOAK_MINUTES * 60 / SAMPLE_SECONDS ))
read -r heap0 committed0 <<<"$(live_heap_mib)"
echo "minute,rss_mib,live_heap_mib,heap_committed_mib,fds,threads,sockets,requests,rps,p50_us,p99_us,max_us,errors,cpu_us_per_req,loadavg1" >"$CSV"
printf '0.0,%d,%s,%s,%d,%d,%d,0,0,0,0,0,0,0,%s\n' $(( $(rss_kib "$gatehouse_pid") / 1024 )) "$heap0" "$committed0" \
  "$(fds)" "$(threads)" "$(sockets)" "$(loadavg)" >>"$CSV"
log_written0=$(metric gatehouse_decision_log_written_total)
total_requests=0
start=$(date +%s)
for w in $(seq 1 "$windows"); do
  before=$(cpu_ticks "$gatehouse_pid")
  out=$(SOAK_RATE=$RATE wrk -t1 -c"$CONNECTIONS" -d"${SAMPLE_SECONDS}s" --timeout 10s -s "$BENCH/soak-pace.lua" \
    "${full_headers[@]}" "$URL")
  after=$(cpu_ticks "$gatehouse_pid")
  line=$(grep '^RESULT' <<<"$out") || { echo "wrk printed no result: $out" >&2; exit 1; }
  eval "${line#RESULT }"   # requests= errors= non2xx= rps= p50_us= p90_us= p99_us= max_us=
  total_requests=$(( total_requests + requests ))
  rss=$(( $(rss_kib "$gatehouse_pid") / 1024 ))   # under load's end, before the forced GC
  read -r heap committed <<<"$(live_heap_mib)"
  cpu=$(awk -v t=$((after - before)) -v hz="$CLK_TCK" -v n="$requests" 'BEGIN { printf "%.1f", n ? t * 1e6 / hz / n : 0 }')
  minute=$(awk -v w="$w" -v s="$SAMPLE_SECONDS" 'BEGIN { printf "%.1f", w * s / 60 }')
  printf '%s,%d,%s,%s,%d,%d,%d,%d,%.0f,%d,%d,%d,%d,%s,%s\n' "$minute" "$rss" "$heap" "$committed" "$(fds)" "$(threads)" "$(sockets)" \
    "$requests" "$rps" "$p50_us" "$p99_us" "$max_us" $(( errors + non2xx )) "$cpu" "$(loadavg)" >>"$CSV"
  if [ "$minute" = "$WARMUP_MINUTES.0" ]; then jcmd "$gatehouse_pid" GC.class_histogram >"$RUN/histogram-warm.txt"; fi
done
elapsed=$(( $(date +%s) - start ))
jcmd "$gatehouse_pid" GC.class_histogram >"$RUN/histogram-end.txt"
sleep 1   # let the decision-log writer drain
log_written=$(( $(metric gatehouse_decision_log_written_total) - log_written0 ))
log_dropped=$(curl -s "http://127.0.0.1:$MANAGEMENT_PORT/actuator/prometheus" | awk '/^gatehouse_decision_log_dropped_total/ { s += $2 } END { printf "%.0f", s }')

echo
echo "| minute | RSS MiB | live heap MiB | heap committed MiB | fds (sockets) | threads | req/s | p50 µs | p99 µs | errors | CPU-µs/req | load avg |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
awk -F, 'NR > 1 && ($1 + 0 <= 1 || ($1 * 2) % 10 == 0) { printf "| %s | %s | %s | %s | %s (%s) | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $7, $6, $9, $10, $11, $13, $14, $15 }' "$CSV"
echo
echo "Soak: $windows windows in $elapsed s; $total_requests requests; decision log: $log_written lines written, $log_dropped dropped (total)"
echo "CSV: $CSV; class histograms: $RUN/histogram-warm.txt, $RUN/histogram-end.txt"
echo
awk -F, -v warm="$WARMUP_MINUTES" -v end="$SOAK_MINUTES" -v rssmax="$RSS_MAX_GROWTH_PCT" -v heapmax="$HEAP_MAX_RISE_PCT" \
  -v fdmax="$FD_MAX_RISE" '
  function fit(c) { return (n * sxy[c] - sx * sy[c]) / (n * sxx - sx * sx) }   # least-squares slope, per minute
  NR == 1 { next }
  { m = $1 + 0 }
  m == warm { rss_warm = $2; fd_warm = $5; th_warm = $6; other_warm = $5 - $7 }
  { rss_last = $2; fd_last = $5; th_last = $6; other_last = $5 - $7 }
  m >= warm {
    n++; sx += m; sxx += m * m
    if ($2 > rss_max) rss_max = $2
    for (c = 3; c <= 6; c++) { sy[c] += $c; sxy[c] += m * $c }
    if (fd_lo == "" || $5 < fd_lo) fd_lo = $5; if ($5 > fd_hi) fd_hi = $5
  }
  END {
    span = end - warm
    rss_growth = (rss_last - rss_warm) * 100 / rss_warm
    printf "RSS: %d MiB at minute %d, %d MiB at the end (highest after the warm-up %d): %+.1f %% (limit %d %%): %s\n",
      rss_warm, warm, rss_last, rss_max, rss_growth, rssmax, rss_growth <= rssmax ? "PASS" : "FAIL"
    mean = sy[3] / n; rise = fit(3) * span; rise_pct = rise * 100 / mean
    printf "Live heap after GC: slope %+.4f MiB/min over minutes %d-%d, fitted rise %+.2f MiB = %+.1f %% of the mean %.1f MiB (limit %d %%): %s\n",
      fit(3), warm, end, rise, rise_pct, mean, heapmax, rise_pct < heapmax ? "PASS" : "FAIL"
    printf "Open fds: %d at minute %d, %d at the end, %d-%d after the warm-up; fitted rise %+.1f over minutes %d-%d (limit %d): %s\n",
      fd_warm, warm, fd_last, fd_lo, fd_hi, fit(5) * span, warm, end, fdmax, fit(5) * span < fdmax ? "PASS" : "FAIL"
    printf "Descriptors other than sockets: %d at minute %d, %d at the end\n", other_warm, warm, other_last
    printf "Threads: %d at minute %d, %d at the end; fitted rise %+.1f (reported)\n", th_warm, warm, th_last, fit(6) * span
  }' "$CSV"
