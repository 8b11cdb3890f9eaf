# Sourced by load-run.sh: the files Gatehouse needs for the run, all made here in $RUN with openssl.
#   - a device CA and one device certificate (sent by wrk as a trusted front proxy would forward it: wrk cannot
#     present a client certificate itself), URL-encoded PEM as nginx's $ssl_client_escaped_cert;
#   - the assertion signing key (EC P-256);
#   - a bearer-token issuer: RSA key, discovery document and JWKS served by the upstream nginx, one RS256 token;
#   - the inventory's answers (token endpoint and a high-trust posture) as static files on the upstream nginx:
#     with the posture cache warm, the gateway asks at most once per cache TTL, so the run measures the gateway.
#   UPSTREAM_PORT (default 38180): where the caller's upstream nginx listens (issuer, inventory and routes point there).
# shellcheck shell=bash

b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=Bench Device CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$RUN/device-ca.key" -out "$RUN/device-ca.crt" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/O=Bench/CN=bench-laptop" \
  -keyout "$RUN/device.key" -out "$RUN/device.csr" 2>/dev/null
printf 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n' >"$RUN/client.ext"
openssl x509 -req -in "$RUN/device.csr" -CA "$RUN/device-ca.crt" -CAkey "$RUN/device-ca.key" -CAcreateserial \
  -days 2 -extfile "$RUN/client.ext" -out "$RUN/device.crt" 2>/dev/null
DEVICE_CERT_HEADER=$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(open(sys.argv[1]).read(), safe=""))' "$RUN/device.crt")

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$RUN/signing.pem" 2>/dev/null

UPSTREAM_PORT=${UPSTREAM_PORT:-38180}
ISSUER=http://127.0.0.1:$UPSTREAM_PORT/issuer
mkdir -p "$RUN/www/issuer/.well-known" "$RUN/www/v1"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$RUN/issuer.pem" 2>/dev/null
n=$(openssl rsa -in "$RUN/issuer.pem" -noout -modulus | cut -d= -f2 | xxd -r -p | b64url)
cat >"$RUN/www/issuer/jwks.json" <<JSON
{"keys":[{"kty":"RSA","kid":"bench","use":"sig","alg":"RS256","n":"$n","e":"AQAB"}]}
JSON
cat >"$RUN/www/issuer/.well-known/openid-configuration" <<JSON
{"issuer":"$ISSUER","jwks_uri":"$ISSUER/jwks.json","authorization_endpoint":"$ISSUER/auth",
 "token_endpoint":"http://127.0.0.1:$UPSTREAM_PORT/token","response_types_supported":["code"],
 "subject_types_supported":["public"],"id_token_signing_alg_values_supported":["RS256"]}
JSON
now=$(date +%s)
header=$(printf '{"alg":"RS256","kid":"bench","typ":"JWT"}' | b64url)
claims=$(printf '{"iss":"%s","aud":"gatehouse-bench","sub":"u-bench","email":"pat@corp.example","email_verified":true,"groups":["finance"],"iat":%d,"exp":%d}' \
  "$ISSUER" "$now" $((now + 7200)) | b64url)
signature=$(printf '%s.%s' "$header" "$claims" | openssl dgst -sha256 -sign "$RUN/issuer.pem" | b64url)
BEARER="$header.$claims.$signature"

fingerprint=$(openssl x509 -in "$RUN/device.crt" -outform DER | sha256sum | cut -d' ' -f1)
cat >"$RUN/www/v1/posture" <<JSON
{"id":"bench-laptop","known":true,"managed":true,"trust":"high","disk_encrypted":true,"screen_lock":true,
 "os":"macOS","os_version":"15.3","owner":"pat@corp.example","reported_at":"$(date -u +%Y-%m-%dT%H:%M:%SZ)"}
JSON
echo "device certificate sha256 $fingerprint" >"$RUN/device.txt"

# The config file gets a directory of its own: Gatehouse watches the file's directory, and the decision log (written
# to $RUN/gatehouse.out by the callers) would otherwise wake the watcher on every write.
mkdir -p "$RUN/config"
GATEHOUSE_YAML=$RUN/config/gatehouse.yaml
cat >"$GATEHOUSE_YAML" <<YAML
routes:
  - id: pass
    from: https://pass.localhost
    to: http://127.0.0.1:$UPSTREAM_PORT
    policy:
      allow:
        - name: anyone
          public: true
  - id: app
    from: https://app.localhost
    to: http://127.0.0.1:$UPSTREAM_PORT
    policy:
      deny:
        - name: admin-area-from-office-only
          paths: ["/admin/**"]
          not: { source_ips: ["10.20.0.0/16"] }
        - name: quarantined-owner-mismatch
          device: { owner_is_user: false }
      allow:
        - name: finance-on-good-devices
          groups: [finance]
          device: { trust: high, managed: true, disk_encrypted: true, max_report_age: 24h }
          methods: [GET, POST]
          paths: ["/", "/reports/**"]
        - name: payroll-admins
          emails: [root@corp.example]
YAML
