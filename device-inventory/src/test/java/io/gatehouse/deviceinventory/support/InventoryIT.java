package io.gatehouse.deviceinventory.support;

import io.gatehouse.deviceinventory.DeviceInventoryApplication;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of every integration test: the whole service on random API and management ports, against the real
 * PostgreSQL of {@link PostgresFixture} and tokens from {@link InventoryTokens}. Every subclass shares this one
 * configuration, so Spring's context cache starts the service once per test JVM. Tests isolate themselves by
 * using fresh device ids and fingerprints, never by cleaning tables.
 */
@AutoConfigureObservability(tracing = false) // Boot's tests switch metrics export off; the Prometheus tests need it
@SpringBootTest(classes = DeviceInventoryApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "server.port=0"})
public abstract class InventoryIT {

    protected static final String ALL_SCOPES = "posture:read devices:read devices:write devices:report";

    @LocalServerPort
    protected int port;

    @LocalManagementPort
    protected int managementPort;

    protected Api api;

    @DynamicPropertySource
    static void realServers(DynamicPropertyRegistry registry) {
        PostgresFixture.register(registry);
        InventoryTokens.register(registry);
    }

    @BeforeEach
    void client() {
        api = new Api(port);
    }

    protected static String token(String scopes) {
        return InventoryTokens.get().token("admin-1", scopes);
    }

    protected static String admin() {
        return InventoryTokens.get().token("admin-1", ALL_SCOPES);
    }

    protected static String newId() {
        return "dev-" + UUID.randomUUID().toString().substring(0, 13);
    }

    protected static String newFingerprint() {
        byte[] b = new byte[32];
        new java.security.SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    protected static String deviceJson(String owner, String os, String osVersion, boolean managed, String... certs) {
        StringBuilder c = new StringBuilder();
        for (String cert : certs) {
            c.append(c.isEmpty() ? "" : ",").append('"').append(cert).append('"');
        }
        return "{\"owner\":\"" + owner + "\",\"os\":\"" + os + "\",\"os_version\":\"" + osVersion
                + "\",\"managed\":" + managed + ",\"cert_sha256\":[" + c + "]}";
    }

    /** Creates a managed macOS device with one certificate; answers the create response. */
    protected Api.Response createDevice(String id, String cert) {
        Api.Response r = api.send("PUT", "/v1/devices/" + id, admin(),
                deviceJson("pat@corp.example", "macOS", "15.3", true, cert));
        if (r.status() != 201) {
            throw new AssertionError("create failed: " + r.status() + " " + r.text());
        }
        return r;
    }

    protected Api.Response report(String id, boolean disk, boolean lock, String osVersion, String reportedAt) {
        return api.send("POST", "/v1/devices/" + id + "/reports", InventoryTokens.get().reporterFor(id),
                "{\"disk_encrypted\":" + disk + ",\"screen_lock\":" + lock + ",\"os_version\":\"" + osVersion
                        + "\",\"reported_at\":\"" + reportedAt + "\"}");
    }
}
