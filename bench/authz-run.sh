#!/usr/bin/env bash
# The decision-service run (issue 20): wrk against, in one run on the same machine, the same upstream, bearer token
# and policy,
#   (1) nginx as a plain TLS reverse proxy (no decision at all),
#   (2) Gatehouse as the full proxy (bearer, policy, ES256 assertion, decision log, proxying),
#   (3) nginx with auth_request to Gatehouse's decision listener (/authz/nginx), the assertion copied upstream, with
#       the shipped examples/proxies/nginx/gatehouse-auth-request.conf with 16 and with 64 (shipped since this run)
#       kept-alive connections to Gatehouse (the keepalive line is rewritten per row),
# with the CPU-µs per request of the nginx worker and of Gatehouse apart and summed. See bench/README.md.
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
SECONDS_PER_RUN=${SECONDS_PER_RUN:-15}
WARMUP_SECONDS=${WARMUP_SECONDS:-45}          # per Gatehouse path (proxy, decision), unmeasured
ROW_WARMUP_SECONDS=${ROW_WARMUP_SECONDS:-15}  # again before each row that involves Gatehouse, unmeasured
WARMUP_BURST_SECONDS=${WARMUP_BURST_SECONDS:-5}
CONNECTIONS=${CONNECTIONS:-32}
AUTH_REQUEST_CONF=${AUTH_REQUEST_CONF:-$ROOT/examples/proxies/nginx/gatehouse-auth-request.conf}
# Ports of their own, below the ephemeral range (32768-60999 on Linux: a busy machine's outgoing connections took
# 384xx ports here), so this can run next to load-run.sh, soak.sh and profile.sh.
UPSTREAM_PORT=28480 PLAIN_PORT=28481 PUBLIC_PORT=28482 MANAGEMENT_PORT=28483 AUTHZ_PORT=28484
AUTH_REQUEST_PORT=28485 AUTH_REQUEST_KA64_PORT=28486
RUN=$(mktemp -d /tmp/gatehouse-authz-bench.XXXXXX)
chmod 755 "$RUN"
source "$BENCH/lib.sh"

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

for tool in wrk nginx openssl python3 xxd envsubst; do
  command -v "$tool" >/dev/null || { echo "needs $tool (Debian: apt-get install -y wrk nginx-light xxd gettext-base)" >&2; exit 2; }
done
[ -f "$AUTH_REQUEST_CONF" ] || { echo "no nginx configuration at $AUTH_REQUEST_CONF (AUTH_REQUEST_CONF)" >&2; exit 2; }

gateway_jar
server_certificate
source "$BENCH/gatehouse-setup.sh"
# The route of this run: the bearer token and its group decide, and the answer carries an assertion. No device rule:
# wrk cannot present a client certificate to nginx, and a device forwarded by wrk would reach Gatehouse the proxy only.
cat >>"$GATEHOUSE_YAML" <<YAML
  - id: api
    from: https://api.localhost
    to: http://127.0.0.1:$UPSTREAM_PORT
    policy:
      deny:
        - name: admin-area-from-office-only
          paths: ["/admin/**"]
          not: { source_ips: ["10.20.0.0/16"] }
      allow:
        - name: finance-by-token
          groups: [finance]
          methods: [GET, POST]
          paths: ["/", "/reports/**"]
YAML
caller_certificate

gatehouse_args "$PUBLIC_PORT" "$MANAGEMENT_PORT" "$UPSTREAM_PORT"
GATEHOUSE_ARGS+=(
  --gatehouse.authz.http.port="$AUTHZ_PORT" --gatehouse.authz.address=127.0.0.1
  --gatehouse.authz.client-ca="$RUN/caller-ca.crt"
  --gatehouse.authz.callers[0].san=spiffe://bench.local/nginx --gatehouse.authz.callers[0].name=bench-nginx
)

# The shipped auth_request configuration, filled in as its header says, inside a bench http {} block.
auth_request_nginx() { # NAME PORT KEEPALIVE_TO_GATEHOUSE
  PUBLIC_HOST=api.localhost LISTEN=127.0.0.1:$2 TLS_CERT=$RUN/server.crt TLS_KEY=$RUN/server.key \
    DEVICE_CA=$RUN/device-ca.crt APP=127.0.0.1:$UPSTREAM_PORT GATEHOUSE_AUTHZ=127.0.0.1:$AUTHZ_PORT \
    GATEHOUSE_AUTHZ_NAME=localhost GATEHOUSE_PUBLIC=127.0.0.1:$PUBLIC_PORT GATEHOUSE_CA=$RUN/server.crt \
    NGINX_CLIENT_CERT=$RUN/caller.crt NGINX_CLIENT_KEY=$RUN/caller.key \
    envsubst '${PUBLIC_HOST} ${LISTEN} ${TLS_CERT} ${TLS_KEY} ${DEVICE_CA} ${APP} ${GATEHOUSE_AUTHZ}
      ${GATEHOUSE_AUTHZ_NAME} ${GATEHOUSE_PUBLIC} ${GATEHOUSE_CA} ${NGINX_CLIENT_CERT} ${NGINX_CLIENT_KEY}' \
    <"$AUTH_REQUEST_CONF" | sed "/upstream gatehouse_decision/,/}/ s/keepalive [0-9]*;/keepalive $3;/" >"$RUN/$1-site.conf"
  grep -q "keepalive $3;" "$RUN/$1-site.conf" || { echo "no keepalive in gatehouse_decision of $AUTH_REQUEST_CONF" >&2; exit 1; }
  cat >"$RUN/$1-main.conf" <<NGINX
worker_processes 1;
daemon off;
pid $RUN/$1.pid;
error_log $RUN/$1-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  include $RUN/$1-site.conf;
}
NGINX
  start_nginx "$1" "$RUN/$1-main.conf" "$2"
}

start_nginx upstream upstream.conf "$UPSTREAM_PORT"; upstream_master=$STARTED
start_nginx plain proxy.conf "$PLAIN_PORT"; plain_master=$STARTED
auth_request_nginx auth-request "$AUTH_REQUEST_PORT" 16; ar_master=$STARTED
auth_request_nginx auth-request-ka64 "$AUTH_REQUEST_KA64_PORT" 64; ar64_master=$STARTED
wait_http "http://127.0.0.1:$UPSTREAM_PORT/"
wait_http "https://127.0.0.1:$PLAIN_PORT/"
PROBE_HOST=pass.localhost start_java gatehouse "https://127.0.0.1:$PUBLIC_PORT/" ${GATEHOUSE_JAVA_OPTS:-} \
  -jar "$GATEWAY_JAR" "${GATEHOUSE_ARGS[@]}"
gatehouse_pid=$STARTED
wait_http "https://127.0.0.1:$AUTH_REQUEST_PORT/"
wait_http "https://127.0.0.1:$AUTH_REQUEST_KA64_PORT/"
plain=$(nginx_worker_pid "$plain_master")
ar=$(nginx_worker_pid "$ar_master")
ar64=$(nginx_worker_pid "$ar64_master")

headers=(-H "Host: api.localhost" -H "Authorization: Bearer $BEARER")
plain_url=https://127.0.0.1:$PLAIN_PORT
proxy_url=https://127.0.0.1:$PUBLIC_PORT
ar_url=https://127.0.0.1:$AUTH_REQUEST_PORT
ar64_url=https://127.0.0.1:$AUTH_REQUEST_KA64_PORT

# Before any load: every path answers 200 with the token, and behind Gatehouse (proxy and nginx) the upstream got a
# signed assertion for the request, not the one a client sent; without the token nginx answers 401.
expect_status() { # STATUS URL [curl args...]
  local want=$1 url=$2; shift 2
  local got; got=$(curl -ks -o "$RUN/check.body" -w '%{http_code}' "$@" "$url")
  [ "$got" = "$want" ] || { echo "$url answered $got, not $want:" >&2; cat "$RUN/check.body" >&2; tail -5 "$RUN/gatehouse.out" >&2; exit 1; }
}
expect_assertion() { # URL: the upstream's echo of X-Gatehouse-Assertion is a JWT for GET api.localhost/reports/assertion
  expect_status 200 "$1/reports/assertion" "${headers[@]}" -H "X-Gatehouse-Assertion: forged-by-the-client"
  python3 - "$RUN/check.body" "$1" <<'PY' || exit 1
import base64, json, sys
token = open(sys.argv[1]).read().strip()
parts = token.split(".")
if len(parts) != 3:
    sys.exit(f"{sys.argv[2]}: the upstream got no assertion: {token!r}")
claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
http = claims.get("http", {})
if (http.get("method"), http.get("host"), http.get("path")) != ("GET", "api.localhost", "/reports/assertion"):
    sys.exit(f"{sys.argv[2]}: the assertion describes another request: {claims}")
print(f"{sys.argv[2]}: upstream got an assertion, aud={claims.get('aud')}, sub={claims.get('sub')}, http={http}")
PY
}
expect_status 200 "$plain_url/reports/q3" "${headers[@]}"
expect_status 200 "$proxy_url/reports/q3" "${headers[@]}"
expect_status 200 "$ar_url/reports/q3" "${headers[@]}"
expect_status 200 "$ar64_url/reports/q3" "${headers[@]}"
expect_assertion "$proxy_url"
expect_assertion "$ar_url"
expect_assertion "$ar64_url"
expect_status 401 "$ar_url/reports/q3" -H "Host: api.localhost"
decision_lines() { grep -c '"request_id"' "$RUN/gatehouse.out" || true; }

warm "$WARMUP_SECONDS" "$CONNECTIONS" "${headers[@]}" "$proxy_url/reports/q3"
warm "$WARMUP_SECONDS" "$CONNECTIONS" "${headers[@]}" "$ar_url/reports/q3"

QUIET_PIDS=("$gatehouse_pid")
FAILED=0
LOG_CHECKS=()
gatehouse_row() { # LABEL PROXY_PID URL CONNECTIONS: warmed, measured, and its decision-log lines counted
  local label=$1 proxy=$2 url=$3 conns=$4 before after
  warm "$ROW_WARMUP_SECONDS" "$conns" "${headers[@]}" "$url"
  before=$(decision_lines)
  measure_split "$label" "$proxy" "$gatehouse_pid" "$url" "$conns" "$SECONDS_PER_RUN" "${headers[@]}"
  sleep 1  # let the decision-log writer drain before counting
  after=$(decision_lines)
  LOG_CHECKS+=("$label, c=$conns: $LAST_REQUESTS requests, $((after - before)) decision-log lines")
  [ "$LAST_ERRORS" -eq 0 ] || FAILED=1
}

echo "# Gatehouse decision-service run, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, ${SECONDS_PER_RUN}s per row, wrk -t1"
echo "# load before: $(uptime)"
echo
split_table_header
for c in 1 "$CONNECTIONS"; do
  measure_split "nginx TLS proxy, no decision" "$plain" - "$plain_url/reports/q3" "$c" "$SECONDS_PER_RUN" "${headers[@]}"
  [ "$LAST_ERRORS" -eq 0 ] || FAILED=1
  gatehouse_row "Gatehouse full proxy" - "$proxy_url/reports/q3" "$c"
  gatehouse_row "nginx + auth_request (shipped, keepalive 16)" "$ar" "$ar_url/reports/q3" "$c"
  gatehouse_row "nginx + auth_request, keepalive 64" "$ar64" "$ar64_url/reports/q3" "$c"
done
echo
echo "# load after: $(uptime)"
printf 'Decision log: %s\n' "${LOG_CHECKS[@]}"
echo "Gatehouse RSS after the run: $(( $(rss_kib "$gatehouse_pid") / 1024 )) MiB; jar: $GATEWAY_JAR"
[ "$FAILED" -eq 0 ] || { echo "some responses were not 2xx (errors column)" >&2; exit 1; }
