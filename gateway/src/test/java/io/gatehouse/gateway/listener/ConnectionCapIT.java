package io.gatehouse.gateway.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RawConnection;
import io.gatehouse.gateway.testing.RunningGateway;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The public listener's cap on open connections ({@code gatehouse.listener.max-connections}), black-box: with the cap
 * reached, one more connection is closed at once, the open ones go on serving, the refusal is counted on the
 * management port, and a slot freed by a close is given to the next client.
 */
class ConnectionCapIT extends GatewayITSupport {

    private static final int CAP = 3;

    @Override
    protected void customize(RunningGateway.Builder builder) {
        builder.property("gatehouse.listener.max-connections", CAP);
    }

    @Test
    void connectWhenCapReachedThenExtraClosedAtOnceAndOpenOnesServed() throws Exception {
        List<RawConnection> open = new ArrayList<>();
        try {
            for (int i = 0; i < CAP; i++) {
                RawConnection connection = RawConnection.http11(gateway.pki(), gateway.httpsPort());
                open.add(connection);
                assertThat(answered(connection, "/open-" + i)).isTrue();
            }

            try (RawConnection extra = RawConnection.tcp(gateway.httpsPort())) {
                assertThat(extra.closedWithin(Duration.ofSeconds(2))).as("connection over the cap closed").isTrue();
            }

            for (int i = 0; i < CAP; i++) {
                assertThat(answered(open.get(i), "/again-" + i)).as("connection %d still served", i).isTrue();
            }
            assertThat(metrics()).containsPattern("gatehouse_listener_connections_refused_total(\\{[^}]*\\})? [1-9]")
                    .containsPattern("gatehouse_listener_connections(\\{[^}]*\\})? 3\\.0");

            open.remove(0).close();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                try (RawConnection next = RawConnection.http11(gateway.pki(), gateway.httpsPort())) {
                    assertThat(answered(next, "/freed")).isTrue();
                }
            });
        } finally {
            for (RawConnection connection : open) {
                connection.close();
            }
        }
    }

    /** Writes a GET and waits (up to 5 s) for its whole answer; false if the connection closed instead. */
    private static boolean answered(RawConnection connection, String path) throws IOException {
        connection.write("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (connection.closedWithin(Duration.ofMillis(100))) {
                return false;
            }
            if (connection.received().contains("\"path\":\"" + path + "\"")) {
                return true;
            }
        }
        return false;
    }

    private String metrics() throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.managementUri("/actuator/prometheus"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
