package io.gatehouse.deviceinventory.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.deviceinventory.support.Api;
import io.gatehouse.deviceinventory.support.InventoryIT;
import io.gatehouse.deviceinventory.support.InventoryTokens;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tokens and scopes, with real JWTs validated against the test issuer's JWKS. */
class SecurityIT extends InventoryIT {

    private static final String FP = "0".repeat(64);

    @ParameterizedTest(name = "{0} {1} needs {2}")
    @CsvSource({
            "GET,  /v1/posture?cert_sha256=" + "0000000000000000000000000000000000000000000000000000000000000000" + ", posture:read",
            "GET,  /v1/devices,                  devices:read",
            "GET,  /v1/devices/dev-1,            devices:read",
            "GET,  /v1/devices/dev-1/history,    devices:read",
            "PUT,  /v1/devices/dev-1,            devices:write",
            "POST, /v1/devices/dev-1/reports,    devices:report",
            "POST, /v1/devices/dev-1/quarantine, devices:write",
            "POST, /v1/devices/dev-1/release,    devices:write"})
    void endpointWhenTokenLacksItsScopeThen403Problem(String method, String path, String scope) {
        String others = Arrays.stream(ALL_SCOPES.split(" ")).filter(s -> !s.equals(scope))
                .collect(Collectors.joining(" "));
        Api.Response r = api.send(method, path, token(others), method.equals("GET") ? null : "{}");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("code").asText()).isEqualTo("insufficient-scope");
        assertThat(r.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).contains("insufficient_scope"));
    }

    @ParameterizedTest(name = "{0} {1} with its scope is not refused")
    @CsvSource({
            "GET,  /v1/posture?cert_sha256=" + "0000000000000000000000000000000000000000000000000000000000000000" + ", posture:read",
            "GET,  /v1/devices/dev-unknown-1,    devices:read"})
    void endpointWhenTokenHasItsScopeThenPassesSecurity(String method, String path, String scope) {
        assertThat(api.send(method, path, token(scope), null).status()).isEqualTo(404);
    }

    @Test
    void requestWhenNoTokenThen401ProblemWithChallenge() {
        Api.Response r = api.get("/v1/posture?cert_sha256=" + FP, null);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));
    }

    @Test
    void requestWhenTokenExpiredThen401() {
        Api.Response r = api.get("/v1/devices", InventoryTokens.get().expiredToken("u", "devices:read"));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("code").asText()).isEqualTo("unauthenticated");
    }

    @Test
    void requestWhenTokenFromAnotherIssuerThen401() {
        String t = InventoryTokens.get().tokenFromIssuer("https://evil.example", "u", "devices:read");
        assertThat(api.get("/v1/devices", t).status()).isEqualTo(401);
    }

    @Test
    void requestWhenTokenSignedByUnknownKeyThen401() {
        assertThat(api.get("/v1/devices", InventoryTokens.get().tokenWithForeignKey("u", "devices:read")).status())
                .isEqualTo(401);
    }

    @Test
    void requestWhenGarbageTokenThen401() {
        assertThat(api.get("/v1/devices", "not.a.jwt").status()).isEqualTo(401);
    }

    @Test
    void unmappedPathWhenAuthenticatedThenDenied() {
        assertThat(api.get("/v1/other", admin()).status()).isEqualTo(403);
    }

    @Test
    void actuatorWhenAskedOnTheApiPortThenNotServed() {
        Api.Response r = api.get("/actuator/health", null);
        assertThat(r.status()).isNotEqualTo(200);
        assertThat(r.text()).doesNotContain("\"UP\"");
    }
}
