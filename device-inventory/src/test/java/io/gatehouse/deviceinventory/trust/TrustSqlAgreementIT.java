package io.gatehouse.deviceinventory.trust;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.deviceinventory.support.InventoryIT;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The list filter and the gauges count trust in SQL ({@link TrustSql}); a single read computes it in Java
 * ({@link TrustPolicy}). For devices on each side of each rule, both must give the same level.
 */
class TrustSqlAgreementIT extends InventoryIT {

    @Test
    void listFilterAgreesWithPerDeviceTrustForEveryRule() {
        String owner = "agree-" + newId() + "@corp.example";
        Instant now = Instant.now();
        Map<String, String> expected = new HashMap<>();
        expected.put(device(owner, "macOS", true, true, true, "15.3", now, false), "high");
        expected.put(device(owner, "macOS", true, true, true, "15.0", now, false), "high");     // exactly the minimum
        expected.put(device(owner, "macOS", true, true, true, "14.9.9", now, false), "basic");  // below the minimum
        expected.put(device(owner, "Windows", true, true, true, "10.0.22631.4460", now, false), "high");
        expected.put(device(owner, "Windows", true, true, true, "10.0.19044", now, false), "basic");
        expected.put(device(owner, "macOS", true, false, true, "15.3", now, false), "basic");   // disk
        expected.put(device(owner, "macOS", true, true, false, "15.3", now, false), "basic");   // screen lock
        expected.put(device(owner, "macOS", true, true, true, "15.3", now.minus(Duration.ofHours(23)), false), "high");
        expected.put(device(owner, "macOS", true, true, true, "15.3", now.minus(Duration.ofHours(25)), false), "basic");
        expected.put(device(owner, "macOS", true, true, true, "15.3", now.minus(Duration.ofDays(6)), false), "basic");
        expected.put(device(owner, "macOS", true, true, true, "15.3", now.minus(Duration.ofDays(8)), false),
                "untrusted");
        expected.put(device(owner, "macOS", false, true, true, "15.3", now, false), "untrusted"); // unmanaged
        expected.put(device(owner, "macOS", true, true, true, "15.3", now, true), "untrusted");   // quarantined
        expected.put(device(owner, "macOS", true, true, true, "15.3", null, false), "untrusted"); // no report

        Map<String, String> perDevice = new HashMap<>();
        Map<String, String> bySql = new HashMap<>();
        for (String id : expected.keySet()) {
            perDevice.put(id, api.get("/v1/devices/" + id, admin()).json().get("trust").asText());
        }
        for (String level : new String[] {"high", "basic", "untrusted"}) {
            JsonNode page = api.get("/v1/devices?size=100&owner=" + owner + "&trust=" + level, admin()).json();
            page.get("items").forEach(d -> bySql.put(d.get("id").asText(), level));
            page.get("items").forEach(d -> assertThat(d.get("trust").asText()).isEqualTo(level));
        }
        assertThat(perDevice).isEqualTo(expected);
        assertThat(bySql).isEqualTo(expected);
    }

    private String device(String owner, String os, boolean managed, boolean disk, boolean lock, String version,
                          Instant reportedAt, boolean quarantined) {
        String id = newId();
        assertThat(api.send("PUT", "/v1/devices/" + id, admin(),
                deviceJson(owner, os, version, managed, newFingerprint())).status()).isEqualTo(201);
        if (reportedAt != null) {
            assertThat(report(id, disk, lock, version, reportedAt.toString()).status()).isEqualTo(200);
        }
        if (quarantined) {
            api.send("POST", "/v1/devices/" + id + "/quarantine", admin(), "{\"reason\":\"test\"}");
        }
        return id;
    }
}
