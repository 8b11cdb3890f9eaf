package io.gatehouse.gateway.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testsupport.DevPki;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The latency timers operators alert on are Prometheus histograms with a bounded bucket set (application.yml,
 * {@code management.metrics.distribution.*}): {@code gatehouse_requests_seconds} for the request path,
 * {@code gatehouse_posture_lookup_seconds} (and Resilience4j's
 * {@code resilience4j_circuitbreaker_calls_seconds{name="device-inventory"}}) for the posture lookups and
 * {@code gatehouse_assertion_signing_seconds} for signing, so a p99 can be computed in Prometheus with
 * {@code histogram_quantile} across replicas. And the signing keys' windows the retirement alert reads.
 */
class LatencyHistogramIT extends GatewayITSupport {

    private static final String HIGH = """
            {"id": "dev-7", "known": true, "managed": true, "trust": "high", "disk_encrypted": true,
             "screen_lock": true, "os": "macOS", "os_version": "15.3", "owner": "pat@corp.example",
             "reported_at": "2026-11-23T08:00:00Z"}""";

    /** The bucket bounds in seconds, as configured; Prometheus adds +Inf. */
    private static final List<String> BOUNDS = List.of("0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0",
            "2.5", "5.0", "10.0", "30.0", "+Inf");
    /** Signing takes microseconds: its own bounds, 100 us to 1 s. */
    private static final List<String> SIGNING_BOUNDS = List.of("1.0E-4", "2.5E-4", "5.0E-4", "0.001", "0.0025",
            "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "1.0", "+Inf");
    /** k1's retire-after, whole seconds; k2 has none. */
    private static final Instant K1_RETIRES = Instant.now().plus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private InventoryStub inventory;
    private String metrics;

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
                .property("gatehouse.inventory.timeout", "5s")
                .property("gatehouse.signing.keys[0].retire-after", K1_RETIRES.toString())
                .property("gatehouse.signing.keys[1].kid", "k2")
                .property("gatehouse.signing.keys[1].path",
                        DevPki.create(dir.resolve("pki-k2")).writeSigningKeyPem("k2").toString());
    }

    @BeforeAll
    void oneAllowedRequest() throws IOException, InterruptedException {
        var laptop = gateway.pki().issueDevice("laptop-histogram");
        inventory.posture(laptop.sha256(), HIGH);
        GatewayClient.Response response = client().withDevice(laptop).get("/x", Map.of("Accept", "application/json"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        metrics = http.send(HttpRequest.newBuilder(gateway.managementUri("/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @AfterAll
    void stopInventory() {
        inventory.close();
    }

    @Test
    void requestWhenServedThenRequestTimerHasTheConfiguredBucketsOnly() {
        List<String> bounds = bounds("gatehouse_requests_seconds_bucket", "route=\"devices\"", "status=\"200\"");

        assertThat(bounds).containsExactlyElementsOf(BOUNDS);
        // the one request is counted in the +Inf bucket (label order and number format left to the client)
        assertThat(metrics).containsPattern(Pattern.compile("^gatehouse_requests_seconds_bucket\\{"
                + "(?=[^}]*route=\"devices\")(?=[^}]*status=\"200\")(?=[^}]*le=\"\\+Inf\")[^}]*} 1(\\.0)?$",
                Pattern.MULTILINE));
    }

    @Test
    void requestWhenPostureAskedThenInventoryCallTimerHasTheConfiguredBucketsOnly() {
        List<String> bounds = bounds("resilience4j_circuitbreaker_calls_seconds_bucket", "kind=\"successful\"",
                "name=\"device-inventory\"");

        assertThat(bounds).containsExactlyElementsOf(BOUNDS);
    }

    @Test
    void requestWhenPostureAskedThenOwnLookupTimerHasOneAnsweredSampleInTheConfiguredBuckets() {
        List<String> bounds = bounds("gatehouse_posture_lookup_seconds_bucket", "outcome=\"answered\"");

        assertThat(bounds).containsExactlyElementsOf(BOUNDS);
        assertThat(sample("gatehouse_posture_lookup_seconds_count", "outcome=\"answered\"")).isEqualTo(1.0);
    }

    @Test
    void requestWhenAllowedThenSigningTimerHasOneSampleInMicrosecondBuckets() {
        List<String> bounds = bounds("gatehouse_assertion_signing_seconds_bucket");

        assertThat(bounds).containsExactlyElementsOf(SIGNING_BOUNDS);
        assertThat(sample("gatehouse_assertion_signing_seconds_count")).isEqualTo(1.0);
        // the signature really was timed: the sum is above zero and below a second
        assertThat(sample("gatehouse_assertion_signing_seconds_sum")).isGreaterThan(0.0).isLessThan(1.0);
    }

    @Test
    void scrapeWhenKeysConfiguredThenRetireAfterIsUnixTimePerKidAndInfWithoutOne() {
        assertThat(sample("gatehouse_signing_key_retire_after_seconds", "kid=\"k1\""))
                .isEqualTo((double) K1_RETIRES.getEpochSecond());
        assertThat(sample("gatehouse_signing_key_retire_after_seconds", "kid=\"k2\""))
                .isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(sample("gatehouse_signing_key_not_before_seconds", "kid=\"k1\""))
                .isEqualTo(Double.NEGATIVE_INFINITY);
    }

    /** The value of the one sample line of {@code name} carrying every label given. */
    private double sample(String name, String... labels) {
        List<String> values = metrics.lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> List.of(labels).stream().allMatch(line::contains))
                .map(line -> line.substring(line.lastIndexOf(' ') + 1))
                .toList();
        assertThat(values).as(name + " " + List.of(labels) + " in\n" + metrics).hasSize(1);
        return Double.parseDouble(values.get(0).replace("+Inf", "Infinity").replace("-Inf", "-Infinity"));
    }

    /** The {@code le} values of the bucket lines of one series, in exposition order. */
    private List<String> bounds(String bucket, String... labels) {
        Pattern le = Pattern.compile("le=\"([^\"]+)\"");
        return metrics.lines()
                .filter(line -> line.startsWith(bucket + "{"))
                .filter(line -> List.of(labels).stream().allMatch(line::contains))
                .map(line -> le.matcher(line).results().findFirst().orElseThrow().group(1))
                .toList();
    }
}
