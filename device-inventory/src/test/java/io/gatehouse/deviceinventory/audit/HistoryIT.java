package io.gatehouse.deviceinventory.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.deviceinventory.support.Api;
import io.gatehouse.deviceinventory.support.InventoryIT;
import io.gatehouse.deviceinventory.support.InventoryTokens;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The append-only history: who, what, when, why, and the version each change produced. */
class HistoryIT extends InventoryIT {

    @Test
    void historyRecordsEveryChangeWithSubjectFieldsAndReason() {
        String id = newId();
        String cert = newFingerprint();
        String etag = createDevice(id, cert).etag();
        String editor = InventoryTokens.get().token("editor-7", "devices:write");
        api.send("PUT", "/v1/devices/" + id, editor, deviceJson("sam@corp.example", "macOS", "15.3", true, cert),
                "If-Match", etag);
        api.send("POST", "/v1/devices/" + id + "/reports", InventoryTokens.get().tokenWith("mdm-agent", "devices:report", java.util.Map.of("device_id", id)),
                "{\"disk_encrypted\":true,\"screen_lock\":false,\"os_version\":\"15.4\"}");
        api.send("POST", "/v1/devices/" + id + "/quarantine", editor, "{\"reason\":\"stolen\"}");
        api.send("POST", "/v1/devices/" + id + "/release", editor, "{\"reason\":\"recovered\"}");

        Api.Response r = api.get("/v1/devices/" + id + "/history", token("devices:read"));
        assertThat(r.status()).isEqualTo(200);
        JsonNode items = r.json().get("items");
        assertThat(items).hasSize(5);
        assertThat(items.findValuesAsText("action"))
                .containsExactly("created", "updated", "reported", "quarantined", "released");
        assertThat(items.findValuesAsText("actor"))
                .containsExactly("admin-1", "editor-7", "mdm-agent", "editor-7", "editor-7");
        assertThat(items.findValuesAsText("version")).containsExactly("1", "2", "3", "4", "5");
        assertThat(items.findValuesAsText("client")).containsOnly("gatehouse-test");

        JsonNode updated = items.get(1).get("changes");
        assertThat(updated.get("owner").get("from").asText()).isEqualTo("pat@corp.example");
        assertThat(updated.get("owner").get("to").asText()).isEqualTo("sam@corp.example");
        assertThat(updated.size()).isEqualTo(1);
        JsonNode reported = items.get(2).get("changes");
        assertThat(reported.get("os_version").get("to").asText()).isEqualTo("15.4");
        assertThat(reported.get("screen_lock").get("to").asBoolean()).isFalse();
        assertThat(items.get(3).get("reason").asText()).isEqualTo("stolen");
        assertThat(items.get(4).get("reason").asText()).isEqualTo("recovered");
        assertThat(Instant.parse(items.get(0).get("at").asText())).isBefore(Instant.now().plusSeconds(1));
    }

    @Test
    void historyWhenWriteRefusedThenNoEntry() {
        String id = newId();
        String cert = newFingerprint();
        createDevice(id, cert);
        api.send("PUT", "/v1/devices/" + id, admin(), deviceJson("sam@corp.example", "macOS", "15.3", true, cert),
                "If-Match", "\"9\"");
        assertThat(api.get("/v1/devices/" + id + "/history", admin()).json().get("total").asLong()).isEqualTo(1);
    }

    @Test
    void historyWhenDeviceUnknownThen404() {
        Api.Response r = api.get("/v1/devices/" + newId() + "/history", admin());
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).startsWith("application/problem+json");
    }

    @Test
    void historyPages() {
        String id = newId();
        createDevice(id, newFingerprint());
        report(id, true, true, "15.3", Instant.now().minusSeconds(5).toString());
        JsonNode page = api.get("/v1/devices/" + id + "/history?size=1&page=1", admin()).json();
        assertThat(page.get("items")).hasSize(1);
        assertThat(page.get("items").get(0).get("action").asText()).isEqualTo("reported");
        assertThat(page.get("total").asLong()).isEqualTo(2);
    }
}
