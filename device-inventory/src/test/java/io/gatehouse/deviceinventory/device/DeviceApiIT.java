package io.gatehouse.deviceinventory.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.deviceinventory.support.Api;
import io.gatehouse.deviceinventory.support.InventoryIT;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/** Each device endpoint's ordinary behaviour, through HTTP, against PostgreSQL. */
class DeviceApiIT extends InventoryIT {

    @Test
    void putWhenNewThenCreatedWithVersionOneAndEtag() {
        String id = newId();
        String cert = newFingerprint();
        Api.Response r = createDevice(id, cert.toUpperCase(java.util.Locale.ROOT));
        assertThat(r.etag()).isEqualTo("\"1\"");
        assertThat(r.header("Location")).contains("/v1/devices/" + id);
        JsonNode d = r.json();
        assertThat(d.get("id").asText()).isEqualTo(id);
        assertThat(d.get("os").asText()).isEqualTo("macOS");
        assertThat(d.get("cert_sha256").get(0).asText()).isEqualTo(cert);
        assertThat(d.get("trust").asText()).isEqualTo("untrusted");
        assertThat(d.get("report").isNull()).isTrue();
    }

    @Test
    void getWhenExistsThenDeviceAndEtag() {
        String id = newId();
        createDevice(id, newFingerprint());
        Api.Response r = api.get("/v1/devices/" + id, token("devices:read"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.etag()).isEqualTo("\"1\"");
        assertThat(r.json().get("owner").asText()).isEqualTo("pat@corp.example");
    }

    @Test
    void getWhenUnknownThen404Problem() {
        Api.Response r = api.get("/v1/devices/" + newId(), token("devices:read"));
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("code").asText()).isEqualTo("unknown-device");
    }

    @Test
    void putWhenExistingWithIfMatchThenUpdatedAndVersionGrows() {
        String id = newId();
        String cert = newFingerprint();
        String etag = createDevice(id, cert).etag();
        String second = newFingerprint();
        Api.Response r = api.send("PUT", "/v1/devices/" + id, admin(),
                deviceJson("sam@corp.example", "macOS", "15.4", false, cert, second), "If-Match", etag);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.etag()).isEqualTo("\"2\"");
        assertThat(r.json().get("owner").asText()).isEqualTo("sam@corp.example");
        assertThat(r.json().get("managed").asBoolean()).isFalse();
        assertThat(r.json().get("cert_sha256")).hasSize(2);
    }

    @Test
    void putWhenCertificateRemovedThenPostureNoLongerKnowsIt() {
        String id = newId();
        String cert = newFingerprint();
        String etag = createDevice(id, cert).etag();
        String replacement = newFingerprint();
        api.send("PUT", "/v1/devices/" + id, admin(),
                deviceJson("pat@corp.example", "macOS", "15.3", true, replacement), "If-Match", etag);
        assertThat(api.get("/v1/posture?cert_sha256=" + cert, token("posture:read")).status()).isEqualTo(404);
        assertThat(api.get("/v1/posture?cert_sha256=" + replacement, token("posture:read")).status()).isEqualTo(200);
    }

    @Test
    void putWhenOsVersionOmittedThenTheReportedOneStays() {
        String id = newId();
        String cert = newFingerprint();
        createDevice(id, cert);
        String etag = report(id, true, true, "15.4", Instant.now().toString()).etag();
        Api.Response r = api.send("PUT", "/v1/devices/" + id, admin(), "{\"owner\":\"pat@corp.example\","
                + "\"os\":\"macOS\",\"managed\":true,\"cert_sha256\":[\"" + cert + "\"]}", "If-Match", etag);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("os_version").asText()).isEqualTo("15.4");
        assertThat(r.json().get("trust").asText()).isEqualTo("high");
    }

    @Test
    void putWhenIfMatchStarThenUpdatesWhateverTheVersion() {
        String id = newId();
        createDevice(id, newFingerprint());
        Api.Response r = api.send("PUT", "/v1/devices/" + id, admin(),
                deviceJson("sam@corp.example", "macOS", "15.3", true), "If-Match", "*");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("cert_sha256")).isEmpty();
    }

    @Test
    void putWhenIdenticalThenNoNewVersion() {
        String id = newId();
        String cert = newFingerprint();
        String etag = createDevice(id, cert).etag();
        Api.Response r = api.send("PUT", "/v1/devices/" + id, admin(),
                deviceJson("pat@corp.example", "macOS", "15.3", true, cert), "If-Match", etag);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.etag()).isEqualTo(etag);
    }

    @Test
    void reportWhenFreshAndGoodThenTrustHigh() {
        String id = newId();
        String cert = newFingerprint();
        createDevice(id, cert);
        Instant at = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        Api.Response r = report(id, true, true, "15.3", at.toString());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.etag()).isEqualTo("\"2\"");
        assertThat(r.json().get("trust").asText()).isEqualTo("high");
        assertThat(r.json().get("report").get("reported_at").asText()).isEqualTo(at.toString());
    }

    @Test
    void reportWhenOsVersionBelowMinimumThenBasic() {
        String id = newId();
        createDevice(id, newFingerprint());
        Api.Response r = report(id, true, true, "14.7", Instant.now().toString());
        assertThat(r.json().get("trust").asText()).isEqualTo("basic");
        assertThat(r.json().get("os_version").asText()).isEqualTo("14.7");
    }

    @Test
    void reportWhenOlderThanTheLatestThen409AndNothingChanges() {
        String id = newId();
        createDevice(id, newFingerprint());
        report(id, true, true, "15.3", Instant.now().toString());
        Api.Response r = report(id, false, false, "15.3", Instant.now().minusSeconds(3600).toString());
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().get("field").asText()).isEqualTo("reported_at");
        assertThat(api.get("/v1/devices/" + id, admin()).json().get("report").get("disk_encrypted").asBoolean())
                .isTrue();
    }

    @Test
    void quarantineThenUntrustedAndReleaseRestores() {
        String id = newId();
        createDevice(id, newFingerprint());
        report(id, true, true, "15.3", Instant.now().toString());
        Api.Response q = api.send("POST", "/v1/devices/" + id + "/quarantine", token("devices:write"),
                "{\"reason\":\"lost on a train\"}");
        assertThat(q.status()).isEqualTo(200);
        assertThat(q.json().get("quarantined").asBoolean()).isTrue();
        assertThat(q.json().get("quarantine_reason").asText()).isEqualTo("lost on a train");
        assertThat(q.json().get("trust").asText()).isEqualTo("untrusted");
        Api.Response r = api.send("POST", "/v1/devices/" + id + "/release", token("devices:write"),
                "{\"reason\":\"found again\"}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("quarantined").asBoolean()).isFalse();
        assertThat(r.json().get("trust").asText()).isEqualTo("high");
    }

    @Test
    void releaseWhenNotQuarantinedThen409() {
        String id = newId();
        createDevice(id, newFingerprint());
        Api.Response r = api.send("POST", "/v1/devices/" + id + "/release", token("devices:write"), null);
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().get("code").asText()).isEqualTo("not-quarantined");
    }

    @Test
    void listFiltersByOwnerAndTrustAndPages() {
        String owner = "list-" + newId() + "@corp.example";
        String high = newId();
        String basic = newId();
        String none = newId();
        for (String id : new String[] {high, basic, none}) {
            assertThat(api.send("PUT", "/v1/devices/" + id, admin(),
                    deviceJson(owner, "macOS", "15.3", true, newFingerprint())).status()).isEqualTo(201);
        }
        report(high, true, true, "15.3", Instant.now().toString());
        report(basic, false, true, "15.3", Instant.now().toString());
        String q = "/v1/devices?owner=" + owner.toUpperCase(java.util.Locale.ROOT);
        JsonNode all = api.get(q, token("devices:read")).json();
        assertThat(all.get("total").asLong()).isEqualTo(3);
        assertThat(ids(api.get(q + "&trust=high", token("devices:read")).json())).containsExactly(high);
        assertThat(ids(api.get(q + "&trust=basic", token("devices:read")).json())).containsExactly(basic);
        assertThat(ids(api.get(q + "&trust=untrusted", token("devices:read")).json())).containsExactly(none);
        JsonNode page1 = api.get(q + "&size=2&page=1", token("devices:read")).json();
        assertThat(page1.get("items")).hasSize(1);
        assertThat(page1.get("total").asLong()).isEqualTo(3);
    }

    private static java.util.List<String> ids(JsonNode page) {
        java.util.List<String> out = new java.util.ArrayList<>();
        page.get("items").forEach(i -> out.add(i.get("id").asText()));
        return out;
    }
}
