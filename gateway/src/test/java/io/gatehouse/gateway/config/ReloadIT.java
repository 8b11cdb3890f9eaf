package io.gatehouse.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gatehouse.gateway.testing.GatewayITSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

/** Hot reload: a good file swaps in and the next request follows it; a broken one is logged, counted and ignored. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReloadIT extends GatewayITSupport {

    private static final String ROUTE = """
            routes:
              - id: echo
                from: https://localhost
                to: %s
                policy:
                  %s: [{name: rule-one, public: true}]
            """;

    @Override
    protected String config(URI upstream) {
        return ROUTE.formatted(upstream, "allow");
    }

    private double reloadFailures() throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                gateway.managementUri("/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("(?m)^gatehouse_config_reload_failures_total(?:\\{[^}]*})? ([0-9.E+-]+)$").matcher(metrics.body());
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    @Test
    @Order(1)
    void reloadWhenFileBrokenThenLastGoodKeptEveryErrorLoggedAndCounted() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger logger = (Logger) LoggerFactory.getLogger(LiveConfig.class);
        logger.addAppender(logs);
        try {
            double before = reloadFailures();
            gateway.writeConfig("""
                    routes:
                      - id: echo
                        from: https://localhost
                        to: %s
                        colour: blue
                        policy:
                          allow: [{name: x, device: {trust: hgh}}]
                    """.formatted(upstream.uri()));

            await().atMost(Duration.ofSeconds(15)).until(() -> reloadFailures() == before + 1);
            String logged = logs.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.contains("reload rejected")).findFirst().orElseThrow();
            assertThat(logged).contains("colour").contains("hgh").contains("gatehouse.yaml:");
            assertThat(client().get("/still-open").status()).isEqualTo(200);
        } finally {
            logger.detachAppender(logs);
        }
    }

    @Test
    @Order(2)
    void reloadWhenFileValidThenNextRequestFollowsNewPolicy() {
        assertThat(client().get("/").status()).isEqualTo(200);

        gateway.writeConfig(ROUTE.formatted(upstream.uri(), "deny"));

        await().atMost(Duration.ofSeconds(15)).until(() -> client().get("/").status() == 403);
        upstream.clear();
        assertThat(client().get("/again").status()).isEqualTo(403);
        assertThat(upstream.received()).isEmpty();
    }
}
