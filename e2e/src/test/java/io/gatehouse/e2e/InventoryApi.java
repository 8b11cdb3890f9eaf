package io.gatehouse.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * device-inventory's API as an administrator or an MDM uses it (docs/device-inventory.md), with a token from
 * Keycloak's client-credentials grant (client {@code inventory-admin}, scopes {@code devices:*}).
 */
final class InventoryApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI base;
    private final Callable<String> token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    InventoryApi(URI base, Callable<String> token) {
        this.base = base;
        this.token = token;
    }

    /** Registers a managed device with its certificate's fingerprint and sends a first posture report. */
    void enrol(String id, String owner, String os, String osVersion, String fingerprint, boolean diskEncrypted)
            throws Exception {
        String device = JSON.writeValueAsString(Map.of("owner", owner, "os", os, "os_version", osVersion,
                "managed", true, "cert_sha256", new String[] {fingerprint}));
        send("PUT", "/v1/devices/" + id, device, 200, 201);
        String report = JSON.writeValueAsString(Map.of("disk_encrypted", diskEncrypted, "screen_lock", true,
                "os_version", osVersion));
        send("POST", "/v1/devices/" + id + "/reports", report, 200, 201);
    }

    /** Quarantines the device; returns its trust level as the inventory now reports it. */
    String quarantine(String id, String reason) throws Exception {
        return JSON.readTree(send("POST", "/v1/devices/" + id + "/quarantine",
                JSON.writeValueAsString(Map.of("reason", reason)), 200)).path("trust").asText();
    }

    private String send(String method, String path, String body, int... expected)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token.call());
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        for (int status : expected) {
            if (response.statusCode() == status) {
                return response.body();
            }
        }
        throw new IOException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
}
