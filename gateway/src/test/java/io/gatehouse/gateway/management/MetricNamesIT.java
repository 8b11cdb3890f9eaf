package io.gatehouse.gateway.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.testsupport.TestIssuer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 17: every {@code gatehouse_*} meter a running gateway registers follows the naming scheme of
 * docs/operations.md ("Metric names"): {@code gatehouse_<area>_<thing>[_<unit>]} with a known area, lower-case
 * snake_case words, counters ending in {@code _total} and nothing else doing so, timers in {@code _seconds}, and
 * snake_case tag names. The gateway runs with a bearer issuer, browser login, a device inventory (unreachable, so
 * the posture meters are there too) and both decision-service listeners (HTTP and Envoy gRPC, so their connection
 * meters are named too), and serves an anonymous, a bearer and a device request before the scrape.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricNamesIT extends GatewayITSupport {

    /** The areas: the stages of the request path and the parts around it (docs/operations.md, "Metric names"). */
    static final Set<String> AREAS = Set.of("requests", "hygiene", "listener", "bearer", "sessions", "posture",
            "decisions", "assertion", "signing", "forward", "decision_log", "config", "tls", "internal", "authz",
            "long_lived");
    private static final Pattern TYPE = Pattern.compile("^# TYPE (gatehouse_\\w+) (\\w+)$", Pattern.MULTILINE);
    private static final Pattern SAMPLE = Pattern.compile("^(gatehouse_\\w+?)(?:\\{([^}]*)})? ", Pattern.MULTILINE);
    private static final Pattern TAG = Pattern.compile("(\\w+)=\"");

    private TestIssuer idp;
    private String scrape;

    @Override
    protected String config(URI upstreamUri) {
        return """
                routes:
                  - id: open
                    from: https://localhost
                    to: %s
                    policy:
                      allow:
                        - name: anyone
                          public: true
                        - name: good-devices
                          public: true
                          device: { trust: high }
                """.formatted(upstreamUri);
    }

    @Override
    protected void customize(RunningGateway.Builder builder) {
        idp = TestIssuer.start();
        builder.property("gatehouse.bearer.issuers[0].issuer-uri", idp.issuer())
                .property("gatehouse.bearer.issuers[0].audiences[0]", TestIssuer.AUDIENCE)
                .property("gatehouse.oidc.issuer-uri", idp.issuer())
                .property("gatehouse.oidc.client-id", "gatehouse")
                .property("gatehouse.oidc.client-secret", "secret")
                .property("gatehouse.inventory.url", "http://127.0.0.1:" + closedPort())
                .property("gatehouse.inventory.timeout", "1s")
                .property("gatehouse.authz.http.port", 0)
                .property("gatehouse.authz.grpc.port", closedPort())
                .property("gatehouse.authz.callers[0].name", "ingress")
                .property("gatehouse.authz.callers[0].cidrs[0]", "127.0.0.2/32");
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @BeforeAll
    void requestsThenScrape() throws IOException, InterruptedException {
        GatewayClient.Response anonymous = client().get("/x", Map.of("Accept", "application/json"));
        assertThat(anonymous.status()).as(anonymous.body()).isEqualTo(200);
        GatewayClient.Response bearer = client().get("/x", Map.of("Accept", "application/json",
                "Authorization", "Bearer " + idp.rs256(c -> { })));
        assertThat(bearer.status()).as(bearer.body()).isEqualTo(200);
        GatewayClient.Response device = client().withDevice(gateway.pki().issueDevice("laptop-names"))
                .get("/x", Map.of("Accept", "application/json"));
        assertThat(device.status()).as(device.body()).isEqualTo(200);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        scrape = http.send(HttpRequest.newBuilder(gateway.managementUri("/actuator/prometheus"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @AfterAll
    void stopIssuer() {
        if (idp != null) {
            idp.close();
        }
    }

    /** Metric family name to Prometheus type, as the scrape declares them. */
    private Map<String, String> families() {
        Map<String, String> families = new TreeMap<>();
        Matcher m = TYPE.matcher(scrape);
        while (m.find()) {
            families.put(m.group(1), m.group(2));
        }
        return families;
    }

    @Test
    void scrapeWhenGatewayRanThenTheStagesMetersAreThere() {
        assertThat(families()).containsKeys("gatehouse_requests_seconds", "gatehouse_bearer_verifications_total",
                "gatehouse_posture_lookups_total", "gatehouse_decisions_total", "gatehouse_internal_errors_total",
                "gatehouse_authz_listener_connections", "gatehouse_authz_grpc_listener_connections",
                "gatehouse_authz_grpc_listener_connections_refused_total");
    }

    @Test
    void scrapeWhenAnyGatehouseMeterThenItFollowsTheNamingScheme() {
        assertThat(families()).allSatisfy((name, type) -> {
            assertThat(name).matches("gatehouse(_[a-z0-9]+)+");
            assertThat(AREAS).as("area of %s", name).anyMatch(area -> name.startsWith("gatehouse_" + area + "_"));
            if (type.equals("counter")) {
                assertThat(name).as("counter %s", name).endsWith("_total");
            } else {
                assertThat(name).as("%s %s", type, name).doesNotEndWith("_total");
            }
            if (type.equals("histogram") || type.equals("summary")) {
                assertThat(name).as("timer %s", name).endsWith("_seconds");
            }
            assertThat(name.indexOf("_total")).as("_total only at the end of %s", name)
                    .isIn(-1, name.length() - "_total".length());
        });
    }

    @Test
    void scrapeWhenAnyGatehouseSampleThenTagNamesAreSnakeCase() {
        Matcher sample = SAMPLE.matcher(scrape);
        int samples = 0;
        while (sample.find()) {
            samples++;
            if (sample.group(2) != null) {
                Matcher tag = TAG.matcher(sample.group(2));
                while (tag.find()) {
                    assertThat(tag.group(1)).as("tag of %s", sample.group(1)).matches("[a-z][a-z0-9_]*");
                }
            }
        }
        assertThat(samples).isPositive();
    }
}
