package io.gatehouse.gateway.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.testsupport.DevPki;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The shipped alert rules ({@code k8s/observability/prometheus-rule.yaml}) in a real Prometheus (Debian package
 * {@code prometheus}) that scrapes this gateway's {@code /actuator/prometheus} every 3 s on loopback: while the
 * inventory answers, {@code GatehousePostureSourceUnreachable} is inactive; once the inventory is gone and requests
 * still need a posture, Prometheus fires it. The only change to the rules is a shorter {@code for:} (5 s, not 2 min).
 */
class PostureAlertIT extends GatewayITSupport {

    private static final String ALERT = "GatehousePostureSourceUnreachable";
    private static final Path RULES = Path.of("../k8s/observability/prometheus-rule.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HIGH = """
            {"id": "dev-9", "known": true, "managed": true, "trust": "high", "disk_encrypted": true,
             "screen_lock": true, "os": "macOS", "os_version": "15.3", "owner": "pat@corp.example",
             "reported_at": "2026-11-23T08:00:00Z"}""";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private InventoryStub inventory;
    private DevPki.Issued laptop;
    private Process prometheus;
    private Path prometheusLog;
    private URI prometheusUri;
    private boolean inventoryStopped;

    @Override
    protected String config(URI upstreamUri) {
        return """
                routes:
                  - id: devices
                    from: https://localhost
                    to: %s
                    policy:
                      allow:
                        - name: good-devices
                          public: true
                          device: { trust: high }
                """.formatted(upstreamUri);
    }

    @Override
    protected void customize(RunningGateway.Builder builder) {
        inventory = InventoryStub.start();
        builder.property("gatehouse.inventory.url", inventory.uri().toString())
                .property("gatehouse.inventory.token-uri", inventory.uri().resolve("/token").toString())
                .property("gatehouse.inventory.client-id", "gateway")
                .property("gatehouse.inventory.client-secret", "secret")
                .property("gatehouse.inventory.timeout", "2s")
                // every request asks the inventory again
                .property("gatehouse.inventory.cache-ttl", "1ms")
                // Every request traced: a trace exemplar on a metric line Prometheus refuses would fail every scrape.
                .property("gatehouse.tracing.sampling", "1.0");
    }

    @BeforeAll
    void startPrometheus() throws IOException {
        laptop = gateway.pki().issueDevice("laptop-alert");
        inventory.posture(laptop.sha256(), HIGH);
        Path home = Files.createDirectories(dir.resolve("prometheus"));
        Files.writeString(home.resolve("rules.yaml"), testRules(), StandardCharsets.UTF_8);
        Files.writeString(home.resolve("prometheus.yml"), """
                # A scrape may take over a second on a loaded 2-core machine; a timed-out scrape leaves a gap.
                global:
                  scrape_interval: 3s
                  scrape_timeout: 3s
                  evaluation_interval: 1s
                rule_files:
                  - rules.yaml
                scrape_configs:
                  - job_name: gatehouse
                    metrics_path: /actuator/prometheus
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                        labels: {namespace: gatehouse, pod: gateway-it}
                """.formatted(gateway.managementPort()), StandardCharsets.UTF_8);
        int port = freePort();
        prometheusUri = URI.create("http://127.0.0.1:" + port);
        prometheusLog = home.resolve("prometheus.log");
        try {
            prometheus = new ProcessBuilder("prometheus", "--config.file=" + home.resolve("prometheus.yml"),
                    "--web.listen-address=127.0.0.1:" + port, "--storage.tsdb.path=" + home.resolve("data"))
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(prometheusLog.toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("the Prometheus server is needed: install the Debian package `prometheus`"
                    + " (scripts/install-prerequisites does)", e);
        }
    }

    @AfterAll
    void stopPrometheusAndInventory() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(15, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
        if (!inventoryStopped) {
            inventory.close();
        }
    }

    @Test
    void inventoryWhenStoppedThenPrometheusFiresThePostureAlert() {
        // Inventory answers: the gateway is scraped, the rule is evaluated and stays inactive.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(allowedRequest()).isEqualTo(200);
            assertThat(query("up{job=\"gatehouse\",pod=\"gateway-it\"}")).as(log()).isEqualTo("1");
            assertThat(query("gatehouse_posture_lookups_total{outcome=\"answered\"}")).as(log()).isNotNull();
            JsonNode rule = rule();
            assertThat(rule.path("health").asText()).as(rule.toString()).isEqualTo("ok");
            assertThat(rule.path("state").asText()).as(rule.toString()).isEqualTo("inactive");
        });

        inventory.close();
        inventoryStopped = true;

        // Requests keep needing a posture; each is denied and counted as unreachable until Prometheus fires.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            GatewayClient.Response denied = client().withDevice(laptop).get("/x", Map.of("Accept", "application/json"));
            assertThat(denied.status()).as(denied.body()).isIn(401, 403);
            JsonNode firing = firingAlert();
            assertThat(firing).as("%s\n%s\n%s\n%s\n%s", rule(), raw("gatehouse_posture_lookups_total"),
                    raw("gatehouse_posture_breaker_state"),
                    raw("up") + " " + raw("scrape_duration_seconds") + " " + scrapeErrors(), log()).isNotNull();
            assertThat(firing.path("labels").path("pod").asText()).isEqualTo("gateway-it");
            assertThat(firing.path("labels").path("severity").asText()).isEqualTo("critical");
        });
    }

    private int allowedRequest() {
        return client().withDevice(laptop).get("/x", Map.of("Accept", "application/json")).status();
    }

    /** The shipped PrometheusRule's groups as a rule file, the posture alert's {@code for:} cut to 5 s. */
    @SuppressWarnings("unchecked")
    private static String testRules() throws IOException {
        Map<String, Object> rule = new Yaml().load(Files.readString(RULES));
        List<Map<String, Object>> groups = (List<Map<String, Object>>) ((Map<String, Object>) rule.get("spec"))
                .get("groups");
        boolean found = false;
        for (Map<String, Object> group : groups) {
            for (Map<String, Object> r : (List<Map<String, Object>>) group.get("rules")) {
                if (ALERT.equals(r.get("alert"))) {
                    r.put("for", "5s");
                    found = true;
                }
            }
        }
        assertThat(found).as(ALERT + " in " + RULES).isTrue();
        return new Yaml().dump(Map.of("groups", groups));
    }

    /** The first sample's value of an instant query, or null when the result is empty. */
    private String query(String promql) throws IOException, InterruptedException {
        JsonNode result = api("/api/v1/query?query=" + java.net.URLEncoder.encode(promql, StandardCharsets.UTF_8))
                .path("data").path("result");
        return result.isEmpty() ? null : result.get(0).path("value").get(1).asText();
    }

    /** The whole result of an instant query, for failure messages. */
    private String raw(String promql) throws IOException, InterruptedException {
        return api("/api/v1/query?query=" + java.net.URLEncoder.encode(promql, StandardCharsets.UTF_8))
                .path("data").path("result").toString();
    }

    /** Why Prometheus's last scrape failed, if it did (targets API, {@code lastError}). */
    private String scrapeErrors() throws IOException, InterruptedException {
        return api("/api/v1/targets").path("data").path("activeTargets").findValuesAsText("lastError").toString();
    }

    private JsonNode rule() throws IOException, InterruptedException {
        for (JsonNode group : api("/api/v1/rules?type=alert").path("data").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (ALERT.equals(rule.path("name").asText())) {
                    return rule;
                }
            }
        }
        return JSON.createObjectNode();
    }

    private JsonNode firingAlert() throws IOException, InterruptedException {
        for (JsonNode alert : api("/api/v1/alerts").path("data").path("alerts")) {
            if (ALERT.equals(alert.path("labels").path("alertname").asText())
                    && "firing".equals(alert.path("state").asText())) {
                return alert;
            }
        }
        return null;
    }

    private JsonNode api(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(prometheusUri.resolve(pathAndQuery))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private String log() {
        try {
            List<String> lines = Files.readAllLines(prometheusLog);
            return "prometheus.log (last lines):\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
