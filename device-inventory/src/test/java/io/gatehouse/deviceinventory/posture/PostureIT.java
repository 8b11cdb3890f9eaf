package io.gatehouse.deviceinventory.posture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.deviceinventory.support.Api;
import io.gatehouse.deviceinventory.support.InventoryIT;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/posture}: the gateway's lookup and its contract with REQUEST.json's {@code device} object. */
class PostureIT extends InventoryIT {

    @Test
    void postureWhenKnownThenExactlyTheRequestJsonDeviceFields() {
        String id = newId();
        String cert = newFingerprint();
        createDevice(id, cert);
        Instant at = Instant.now().minusSeconds(120).truncatedTo(ChronoUnit.SECONDS);
        report(id, true, true, "15.3", at.toString());
        Api.Response r = api.get("/v1/posture?cert_sha256=" + cert, token("posture:read"));
        assertThat(r.status()).isEqualTo(200);
        JsonNode p = r.json();
        List<String> names = new ArrayList<>();
        p.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("id", "known", "managed", "trust", "disk_encrypted", "screen_lock", "os",
                "os_version", "owner", "reported_at");
        assertThat(p.get("id").asText()).isEqualTo(id);
        assertThat(p.get("known").asBoolean()).isTrue();
        assertThat(p.get("managed").asBoolean()).isTrue();
        assertThat(p.get("trust").asText()).isEqualTo("high");
        assertThat(p.get("disk_encrypted").asBoolean()).isTrue();
        assertThat(p.get("screen_lock").asBoolean()).isTrue();
        assertThat(p.get("os").asText()).isEqualTo("macOS");
        assertThat(p.get("os_version").asText()).isEqualTo("15.3");
        assertThat(p.get("owner").asText()).isEqualTo("pat@corp.example");
        assertThat(p.get("reported_at").asText()).isEqualTo(at.toString());
    }

    @Test
    void postureWhenNoReportYetThenUntrustedWithNullReportedAt() {
        String cert = newFingerprint();
        createDevice(newId(), cert);
        JsonNode p = api.get("/v1/posture?cert_sha256=" + cert, token("posture:read")).json();
        assertThat(p.get("trust").asText()).isEqualTo("untrusted");
        assertThat(p.get("disk_encrypted").asBoolean()).isFalse();
        assertThat(p.get("reported_at").isNull()).isTrue();
    }

    @Test
    void postureWhenFingerprintInUpperCaseThenFound() {
        String cert = newFingerprint();
        createDevice(newId(), cert);
        assertThat(api.get("/v1/posture?cert_sha256=" + cert.toUpperCase(Locale.ROOT), token("posture:read"))
                .status()).isEqualTo(200);
    }

    @Test
    void postureWhenQuarantinedThenUntrusted() {
        String id = newId();
        String cert = newFingerprint();
        createDevice(id, cert);
        report(id, true, true, "15.3", Instant.now().toString());
        api.send("POST", "/v1/devices/" + id + "/quarantine", admin(), "{\"reason\":\"malware alert\"}");
        assertThat(api.get("/v1/posture?cert_sha256=" + cert, token("posture:read")).json().get("trust").asText())
                .isEqualTo("untrusted");
    }

    @Test
    void postureWhenUnknownCertificateThen404Problem() {
        Api.Response r = api.get("/v1/posture?cert_sha256=" + newFingerprint(), token("posture:read"));
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("code").asText()).isEqualTo("unknown-certificate");
    }

    @Test
    void postureWhenUnknownAndClientAcceptsOnlyJsonThenStill404() {
        Api.Response r = api.send("GET", "/v1/posture?cert_sha256=" + newFingerprint(), token("posture:read"), null,
                "Accept", "application/json");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("code").asText()).isEqualTo("unknown-certificate");
    }

    @Test
    void postureWhenFingerprintMalformedThen400NamingTheParameter() {
        Api.Response r = api.get("/v1/posture?cert_sha256=abc", token("posture:read"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("field").asText()).isEqualTo("cert_sha256");
    }

    @Test
    void postureWhenParameterMissingThen400NamingIt() {
        Api.Response r = api.get("/v1/posture", token("posture:read"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("field").asText()).isEqualTo("cert_sha256");
    }
}
