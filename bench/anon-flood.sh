#!/usr/bin/env bash
# Anonymous flood (issue 16, item 1): FLOOD_REQUESTS (200 000) anonymous top-level navigations with 3 KB paths at a
# packaged Gatehouse with browser login on, in FLOOD_CHUNKS (4) wrk runs. Measures the live heap after a full GC
# (jcmd GC.run, then GC.heap_info) before the flood and after every chunk, the pre-login store's gauge and eviction
# counter, and the p99 of bearer traffic (Gatehouse's full path, as in load-run.sh) without the flood and during it.
# Not a test: a run prints figures for docs/performance.md. See bench/README.md.
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
FLOOD_REQUESTS=${FLOOD_REQUESTS:-200000}
FLOOD_CHUNKS=${FLOOD_CHUNKS:-4}
FLOOD_CONNECTIONS=${FLOOD_CONNECTIONS:-16}
BEARER_CONNECTIONS=${BEARER_CONNECTIONS:-8}
BEARER_SECONDS=${BEARER_SECONDS:-10}
WARMUP_SECONDS=${WARMUP_SECONDS:-20}
HEAP=${HEAP:-512m}
RUN=$(mktemp -d /tmp/gatehouse-flood.XXXXXX)
chmod 755 "$RUN"   # nginx workers run as an unprivileged user and read the issuer files from here
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
# The flood's target: a route that needs a login, so every anonymous navigation is sent to the IdP.
cat >>"$GATEHOUSE_YAML" <<'YAML'
  - id: portal
    from: https://portal.localhost
    to: http://127.0.0.1:38180
    policy:
      allow:
        - name: signed-in
          authenticated: true
YAML

sed -e "s#__RUN__#$RUN#g" -e "s#__PORT__#38180#g" "$BENCH/nginx/upstream.conf" >"$RUN/upstream.conf"
nginx -c "$RUN/upstream.conf" -p "$RUN" -e "$RUN/upstream-error.log" >"$RUN/upstream.out" 2>&1 &
PIDS+=("$!")
wait_http http://127.0.0.1:38180/

# The decision log (one line per request, each with its 3 KB path) goes to a file of its own; ~1 GB for a full run.
gatehouse_args 38545 38546 38180
java -Xmx"$HEAP" ${GATEHOUSE_JAVA_OPTS:-} -jar "$GATEWAY_JAR" "${GATEHOUSE_ARGS[@]}" \
  --gatehouse.oidc.issuer-uri="$ISSUER" --gatehouse.oidc.client-id=gatehouse-bench-login \
  --gatehouse.oidc.client-secret=bench >"$RUN/gatehouse.out" 2>"$RUN/gatehouse.err" &
gatehouse_pid=$!
PIDS+=("$gatehouse_pid")
for _ in $(seq 1 600); do
  [ "$(curl -ks -o /dev/null -w '%{http_code}' -H 'Host: pass.localhost' https://127.0.0.1:38545/)" = 200 ] && break
  kill -0 "$gatehouse_pid" 2>/dev/null || { echo "gatehouse exited; see $RUN/gatehouse.err" >&2; exit 1; }
  sleep 0.1
done

full_headers=(-H "Host: app.localhost" -H "Authorization: Bearer $BEARER" -H "X-Forwarded-Client-Cert: $DEVICE_CERT_HEADER")
check=$(curl -ks -o /dev/null -w '%{http_code}' "${full_headers[@]}" https://127.0.0.1:38545/reports/q3)
[ "$check" = 200 ] || { echo "bearer path answered $check, not 200" >&2; exit 1; }
nav=$(curl -ks -o /dev/null -w '%{http_code}' -H 'Host: portal.localhost' -H 'Accept: text/html' \
  -H 'Sec-Fetch-Mode: navigate' https://127.0.0.1:38545/x)
[ "$nav" = 302 ] || { echo "an anonymous navigation answered $nav, not 302" >&2; exit 1; }

# live_heap_mib: a full GC, then the heap in use (G1: "garbage-first heap total NK, used NK").
live_heap_mib() {
  jcmd "$gatehouse_pid" GC.run >/dev/null
  jcmd "$gatehouse_pid" GC.heap_info | awk '/heap/ && /used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i+1); sub(/K,?/, "", v); printf "%.1f", v / 1024; exit } }'
}
metric() { # NAME STORE: the value of a gatehouse_sessions_* series of that store
  curl -s http://127.0.0.1:38546/actuator/prometheus | awk -v n="$1" -v s="store=\"$2\"" '$1 ~ "^"n"\\{" && index($1, s) { print $2 }'
}
flood() { # CHUNK REQUESTS: at most 20 minutes; wrk is stopped (SIGINT: it reports) once REQUESTS were answered
  local marker="$RUN/flood-$1.done" out="$RUN/flood-$1.wrk"
  rm -f "$marker"
  FLOOD_CHUNK=$1 FLOOD_REQUESTS=$2 FLOOD_MARKER=$marker wrk -t1 -c"$FLOOD_CONNECTIONS" -d1200s --timeout 10s \
    -s "$BENCH/anon-flood.lua" https://127.0.0.1:38545/ >"$out" &
  local wrk_pid=$!
  while kill -0 "$wrk_pid" 2>/dev/null && [ ! -e "$marker" ]; do sleep 0.2; done
  kill -INT "$wrk_pid" 2>/dev/null || true
  wait "$wrk_pid" || true
  grep '^FLOOD' "$out"
}
bearer_row() { # LABEL
  measure "$1" "$gatehouse_pid" https://127.0.0.1:38545/reports/q3 "$BEARER_CONNECTIONS" "$BEARER_SECONDS" "${full_headers[@]}"
}

# Warm-up, unmeasured: both paths compiled before anything is measured (the flood warm-up's sessions stay in the
# store, which is why the "before" heap is taken after it).
wrk -t1 -c"$BEARER_CONNECTIONS" -d"${WARMUP_SECONDS}s" "${full_headers[@]}" https://127.0.0.1:38545/reports/q3 >/dev/null
heap_before=$(live_heap_mib)
flood warm "${WARMUP_FLOOD:-10000}" >/dev/null

per_chunk=$((FLOOD_REQUESTS / FLOOD_CHUNKS))
echo "# Gatehouse anonymous flood, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, -Xmx$HEAP, $FLOOD_REQUESTS navigations" \
  "with 3 KB paths in $FLOOD_CHUNKS chunks, $FLOOD_CONNECTIONS connections; bearer rows: $BEARER_CONNECTIONS connections, ${BEARER_SECONDS}s"
echo
table_header
bearer_row "bearer full path, no flood"
echo
echo "| after | live heap MiB | pre-login sessions held | evicted (total) | flood req/s | flood p99 µs | not 302 |"
echo "|---|---|---|---|---|---|---|"
echo "| no navigation yet | $heap_before | | | | | |"
echo "| warm-up (${WARMUP_FLOOD:-10000}) | $(live_heap_mib) | $(metric gatehouse_sessions_stored pre-login) | $(metric gatehouse_sessions_evicted_total pre-login) | | | |"
during=""
for chunk in $(seq 1 "$FLOOD_CHUNKS"); do
  if [ "$chunk" = 2 ]; then
    # The bearer row runs inside the second chunk: started 2 s after it, it must end before the chunk does.
    flood "$chunk" "$per_chunk" >"$RUN/flood-$chunk.txt" &
    flood_job=$!
    sleep 2
    during=$(bearer_row "bearer full path, during the flood")
    kill -0 "$flood_job" 2>/dev/null || during="$during (WARNING: the flood chunk ended before the row did)"
    wait "$flood_job"
    line=$(cat "$RUN/flood-$chunk.txt")
  else
    line=$(flood "$chunk" "$per_chunk")
  fi
  eval "${line#FLOOD }"   # requests= not302= errors= rps= p99_us=
  echo "| $((chunk * per_chunk)) | $(live_heap_mib) | $(metric gatehouse_sessions_stored pre-login) | $(metric gatehouse_sessions_evicted_total pre-login) | ${rps%.*} | $p99_us | $((not302 + errors)) |"
done
echo
table_header
echo "$during"
echo
echo "RSS after the run: $(( $(rss_kib "$gatehouse_pid") / 1024 )) MiB; decision log: $(du -m "$RUN/gatehouse.out" | cut -f1) MiB in $RUN/gatehouse.out"
