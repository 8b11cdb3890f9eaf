package io.gatehouse.gateway.decisionlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.gateway.testing.GatewayITSupport;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A gateway whose stdout fails (closed pipe, full disk: every write an IOException, as a PrintStream records it)
 * says so on the management port: the health group {@code decision-log} (component {@code decisionLog}) is DOWN, the lost lines are counted as
 * dropped, not as written; when stdout works again, the component is UP again. Requests are still served.
 */
class DecisionLogSinkFailureIT extends GatewayITSupport {

    private static final OutputStream FULL_DISK = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            throw new IOException("No space left on device");
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            throw new IOException("No space left on device");
        }
    };

    private final PrintStream realOut = System.out;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void restoreStdout() {
        System.setOut(realOut);
    }

    @Test
    void healthWhenStdoutFailsThenDecisionLogDownAndLinesCountedDroppedThenUpWhenItWorksAgain() {
        assertThat(client().get("/").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(get("/actuator/health/decision-log").statusCode()).isEqualTo(200));
        double writtenBefore = metric("gatehouse_decision_log_written_total");

        System.setOut(new PrintStream(FULL_DISK, true));
        assertThat(client().get("/").status()).as("requests are still served").isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> health = get("/actuator/health/decision-log");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("\"DOWN\"");
        });
        assertThat(metric("gatehouse_decision_log_dropped_total", "reason=\"sink-failed\"")).isGreaterThanOrEqualTo(1);
        assertThat(metric("gatehouse_decision_log_sink_up")).isZero();
        assertThat(metric("gatehouse_decision_log_written_total")).isEqualTo(writtenBefore);

        System.setOut(realOut);
        assertThat(client().get("/").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/actuator/health/decision-log").statusCode() == 200);
        assertThat(metric("gatehouse_decision_log_written_total")).isGreaterThan(writtenBefore);
    }

    private HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(gateway.managementUri(path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The sample of a Prometheus series with this name whose labels include {@code label} (may be empty). */
    private double metric(String name, String label) {
        return get("/actuator/prometheus").body().lines()
                .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .filter(line -> line.contains(label))
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no metric " + name + " " + label));
    }

    private double metric(String name) {
        return metric(name, "");
    }
}
