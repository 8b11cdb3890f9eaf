package io.gatehouse.deviceinventory.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.deviceinventory.support.Api;
import io.gatehouse.deviceinventory.support.InventoryIT;
import io.gatehouse.deviceinventory.support.InventoryTokens;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every kind of bad input answers problem+json with the right status and names the field; nothing is written. */
class BadInputIT extends InventoryIT {

    private Api.Response put(String id, String body, String... headers) {
        return api.send("PUT", "/v1/devices/" + id, admin(), body, headers);
    }

    private static void assertProblem(Api.Response r, int status, String code, String field) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        JsonNode p = r.json();
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("code").asText()).isEqualTo(code);
        if (field != null) {
            assertThat(p.get("field").asText()).isEqualTo(field);
        }
    }

    private void assertNotCreated(String id) {
        assertThat(api.get("/v1/devices/" + id, admin()).status()).isEqualTo(404);
    }

    @Test
    void putWhenJsonMalformedThen400() {
        String id = newId();
        assertProblem(put(id, "{\"owner\": "), 400, "malformed-json", null);
        assertNotCreated(id);
    }

    @Test
    void putWhenBodyMissingThen400() {
        assertProblem(api.send("PUT", "/v1/devices/" + newId(), admin(), null, "Content-Type", "application/json"),
                400, "malformed-json", null);
    }

    @Test
    void putWhenUnknownFieldThen400NamingIt() {
        String id = newId();
        String body = "{\"owner\":\"pat@corp.example\",\"os\":\"macOS\",\"managed\":true,\"trust\":\"high\"}";
        assertProblem(put(id, body), 400, "invalid-field", "trust");
        assertNotCreated(id);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "{\"owner\":\"pat@corp.example\",\"os\":\"macOS\",\"managed\":\"yes\"}|managed",
            "{\"owner\":\"pat@corp.example\",\"os\":\"macOS\",\"managed\":true,\"cert_sha256\":\"ab\"}|cert_sha256",
            "{\"owner\":\"pat@corp.example\",\"os\":\"macOS\",\"managed\":true,\"cert_sha256\":[\"xyz\"]}|cert_sha256[0]",
            "{\"owner\":\"pat@corp.example\",\"os\":\"Plan9\",\"managed\":true}|os",
            "{\"owner\":\"pat@corp.example\",\"os\":\"macOS\",\"os_version\":\"fifteen\",\"managed\":true}|os_version",
            "{\"owner\":\"not-an-email\",\"os\":\"macOS\",\"managed\":true}|owner",
            "{\"os\":\"macOS\",\"managed\":true}|owner",
            "{\"owner\":\"pat@corp.example\",\"managed\":true}|os",
            "{\"owner\":\"pat@corp.example\",\"os\":\"macOS\"}|managed",
            "{\"owner\":42,\"os\":\"macOS\",\"managed\":true}|owner"})
    void putWhenFieldInvalidThen400NamingIt(String body, String field) {
        String id = newId();
        assertProblem(put(id, body), 400, "invalid-field", field);
        assertNotCreated(id);
    }

    @Test
    void putWhenFingerprintNot64HexThen400NamingItsIndex() {
        String id = newId();
        Api.Response r = put(id, deviceJson("pat@corp.example", "macOS", "15.3", true, newFingerprint(),
                "g".repeat(64)));
        assertProblem(r, 400, "invalid-field", "cert_sha256[1]");
    }

    @Test
    void putWhenSeveralFieldsBadThenAllAreListed() {
        Api.Response r = put(newId(), "{\"owner\":\"x\",\"os\":\"Plan9\",\"os_version\":\"v1\",\"managed\":true}");
        assertThat(r.json().get("errors")).hasSize(3);
    }

    @Test
    void putWhenIdMalformedThen400NamingId() {
        assertProblem(put("bad%20id!", deviceJson("pat@corp.example", "macOS", "15.3", true)), 400,
                "invalid-field", "id");
    }

    @Test
    void putWhenFingerprintOnAnotherDeviceThen409AndNothingWritten() {
        String cert = newFingerprint();
        createDevice(newId(), cert);
        String id = newId();
        Api.Response r = put(id, deviceJson("pat@corp.example", "macOS", "15.3", true, newFingerprint(), cert));
        assertProblem(r, 409, "fingerprint-in-use", "cert_sha256[1]");
        assertNotCreated(id);
    }

    @Test
    void putWhenUpdateTakesAnotherDevicesFingerprintThen409AndDeviceUnchanged() {
        String taken = newFingerprint();
        createDevice(newId(), taken);
        String id = newId();
        String own = newFingerprint();
        String etag = createDevice(id, own).etag();
        Api.Response r = put(id, deviceJson("sam@corp.example", "macOS", "15.3", true, own, taken), "If-Match", etag);
        assertProblem(r, 409, "fingerprint-in-use", "cert_sha256[1]");
        JsonNode d = api.get("/v1/devices/" + id, admin()).json();
        assertThat(d.get("owner").asText()).isEqualTo("pat@corp.example");
        assertThat(d.get("version").asLong()).isEqualTo(1);
    }

    @Test
    void putWhenExistingWithoutIfMatchThen428() {
        String id = newId();
        createDevice(id, newFingerprint());
        assertProblem(put(id, deviceJson("sam@corp.example", "macOS", "15.3", true)), 428, "precondition-required",
                null);
    }

    @Test
    void putWhenIfMatchStaleThen412() {
        String id = newId();
        String cert = newFingerprint();
        createDevice(id, cert);
        report(id, true, true, "15.3", Instant.now().toString());
        assertProblem(put(id, deviceJson("sam@corp.example", "macOS", "15.3", true, cert), "If-Match", "\"1\""),
                412, "version-mismatch", null);
    }

    @Test
    void putWhenIfMatchWeakThen412() {
        String id = newId();
        createDevice(id, newFingerprint());
        assertProblem(put(id, deviceJson("sam@corp.example", "macOS", "15.3", true), "If-Match", "W/\"1\""),
                412, "version-mismatch", null);
    }

    @Test
    void putWhenNewButIfMatchGivenThen412AndNotCreated() {
        String id = newId();
        assertProblem(put(id, deviceJson("pat@corp.example", "macOS", "15.3", true), "If-Match", "\"1\""),
                412, "version-mismatch", null);
        assertNotCreated(id);
    }

    @Test
    void reportWhenDeviceUnknownThen404() {
        assertProblem(report(newId(), true, true, "15.3", Instant.now().toString()), 404, "unknown-device", null);
    }

    @Test
    void reportWhenVersionUnparseableThen400() {
        String id = newId();
        createDevice(id, newFingerprint());
        assertProblem(report(id, true, true, "15.x", Instant.now().toString()), 400, "invalid-field", "os_version");
    }

    @Test
    void reportWhenTimestampMalformedThen400() {
        String id = newId();
        createDevice(id, newFingerprint());
        assertProblem(report(id, true, true, "15.3", "yesterday"), 400, "invalid-field", "reported_at");
    }

    @Test
    void reportWhenFarInTheFutureThen400() {
        String id = newId();
        createDevice(id, newFingerprint());
        assertProblem(report(id, true, true, "15.3", Instant.now().plusSeconds(3600).toString()), 400,
                "invalid-field", "reported_at");
    }

    @Test
    void reportWhenFieldMissingThen400NamingIt() {
        String id = newId();
        createDevice(id, newFingerprint());
        Api.Response r = api.send("POST", "/v1/devices/" + id + "/reports", InventoryTokens.get().reporterFor(id),
                "{\"disk_encrypted\":true,\"os_version\":\"15.3\"}");
        assertProblem(r, 400, "invalid-field", "screen_lock");
    }

    @Test
    void quarantineWhenNoReasonThen400() {
        String id = newId();
        createDevice(id, newFingerprint());
        assertProblem(api.send("POST", "/v1/devices/" + id + "/quarantine", admin(), "{}"), 400, "invalid-field",
                "reason");
    }

    @Test
    void listWhenTrustUnknownThen400() {
        assertProblem(api.get("/v1/devices?trust=medium", admin()), 400, "invalid-field", "trust");
    }

    @Test
    void listWhenPageNotANumberThen400() {
        assertProblem(api.get("/v1/devices?page=x", admin()), 400, "invalid-field", "page");
    }

    @Test
    void putWhenNotJsonContentTypeThen415Problem() {
        Api.Response r = api.send("PUT", "/v1/devices/" + newId(), admin(), "owner=x", "Content-Type",
                "text/plain");
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.contentType()).startsWith("application/problem+json");
    }
}
