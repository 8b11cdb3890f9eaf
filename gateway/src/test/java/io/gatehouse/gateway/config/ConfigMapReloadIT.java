package io.gatehouse.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * gatehouse.yaml mounted from a Kubernetes ConfigMap: the file is a symlink through {@code ..data}, and an update
 * swaps {@code ..data} to a new directory, so no event ever names gatehouse.yaml itself. With the periodic look an
 * hour away, only the watcher's events can make the gateway follow.
 */
class ConfigMapReloadIT extends GatewayITSupport {

    private static final String ROUTE = """
            routes:
              - id: echo
                from: https://localhost
                to: %s
                policy:
                  %s: [{name: rule-one, public: true}]
            """;

    private Path mount;

    @Override
    protected void customize(RunningGateway.Builder builder) {
        mount = dir.resolve("mount");
        version("..2026_11_23_v1", "allow");
        link("..data", "..2026_11_23_v1");
        link("gatehouse.yaml", "..data/gatehouse.yaml");
        builder.property("gatehouse.config", mount.resolve("gatehouse.yaml").toString())
                .property("gatehouse.config-watch.poll-interval", "1h");
    }

    private void version(String name, String verb) {
        try {
            Files.createDirectories(mount.resolve(name));
            Files.writeString(mount.resolve(name).resolve("gatehouse.yaml"), ROUTE.formatted(upstream.uri(), verb));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void link(String name, String target) {
        try {
            Files.createSymbolicLink(mount.resolve(name), Path.of(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void reloadWhenConfigMapSwapsItsDataLinkThenNextRequestFollows() throws IOException {
        assertThat(client().get("/").status()).isEqualTo(200);

        // What the kubelet does: a new timestamped directory, a temporary link to it, renamed over ..data.
        version("..2026_11_23_v2", "deny");
        link("..data_tmp", "..2026_11_23_v2");
        Files.move(mount.resolve("..data_tmp"), mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);

        await().atMost(Duration.ofSeconds(10)).until(() -> client().get("/").status() == 403);
    }

    @Override
    protected String config(URI upstreamUri) {
        return ROUTE.formatted(upstreamUri, "allow");
    }
}
