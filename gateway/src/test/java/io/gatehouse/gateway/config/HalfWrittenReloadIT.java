package io.gatehouse.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, item 4: a gatehouse.yaml written in place (an editor, {@code scp}, {@code kubectl cp}) is seen half
 * written by the watcher. Cut before its {@code deny:} rules, that half still loads and admits what the deny rule
 * refuses; the watcher must wait until the file has stopped changing for the settle interval before it loads it.
 */
class HalfWrittenReloadIT extends GatewayITSupport {

    private static final String HEAD = """
            routes:
              - id: echo
                from: https://localhost
                to: %s
                policy:
                  allow: [{name: anyone, public: true}]
            """;
    private static final String DENY_ADMIN = """
                  deny:
                    - {name: no-admin, paths: ["/admin/**"]}
            """;
    private static final String DENY_SECRET = """
                    - {name: no-secret, paths: ["/secret/**"]}
            """;

    @Override
    protected String config(URI upstream) {
        return HEAD.formatted(upstream) + DENY_ADMIN;
    }

    @Override
    protected void customize(RunningGateway.Builder builder) {
        // Longer than the writer's pause below, with margin for a slow machine. The watcher looks every 200 ms.
        builder.property("gatehouse.config-watch.settle-interval", "3s");
    }

    @Test
    void reloadWhenFileWrittenInPlaceInTwoHalvesThenHalfIsNeverAppliedAndWholeIsApplied() throws IOException {
        assertThat(client().get("/admin/panel").status()).isEqualTo(403);
        String head = HEAD.formatted(upstream.uri());
        String rest = DENY_ADMIN + DENY_SECRET;
        AtomicInteger admitted = new AtomicInteger();

        try (FileChannel file = FileChannel.open(gateway.configFile(), StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            file.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.UTF_8)));
            file.force(true);
            // The writer pauses between its halves; every request in that time must still meet the deny rule.
            await().during(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> client().get("/admin/panel").status() == 403);
            file.write(ByteBuffer.wrap(rest.getBytes(StandardCharsets.UTF_8)));
        }

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (client().get("/admin/panel").status() != 403) {
                admitted.incrementAndGet();
            }
            return client().get("/secret/plans").status() == 403;
        });
        assertThat(admitted).as("requests to /admin admitted after the pause").hasValue(0);
        assertThat(client().get("/open").status()).isEqualTo(200);
    }
}
