package io.gatehouse.gateway.testing;

import io.gatehouse.testsupport.EchoUpstream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * Base for {@code *IT} classes: one {@link EchoUpstream} and one {@link RunningGateway} per class, started before
 * the first test and stopped after the last. Override {@link #config(java.net.URI)} for the initial
 * gatehouse.yaml (given the upstream's URL) and {@link #customize(RunningGateway.Builder)} for properties.
 * The upstream's record is cleared before each test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class GatewayITSupport {

    protected EchoUpstream upstream;
    protected RunningGateway gateway;
    protected Path dir;

    /** gatehouse.yaml for this class; default: one public route from https://localhost to the echo upstream. */
    protected String config(java.net.URI upstreamUri) {
        return """
                routes:
                  - id: echo
                    from: https://localhost
                    to: %s
                    policy:
                      allow:
                        - name: anyone
                          public: true
                """.formatted(upstreamUri);
    }

    protected void customize(RunningGateway.Builder builder) {
    }

    @BeforeAll
    final void startGateway() {
        try {
            dir = Files.createTempDirectory("gatehouse-it");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        upstream = EchoUpstream.start();
        RunningGateway.Builder builder = RunningGateway.builder(dir).config(config(upstream.uri()));
        customize(builder);
        gateway = builder.start();
    }

    @BeforeEach
    final void clearUpstream() {
        upstream.clear();
        upstream.echo();
    }

    @AfterAll
    final void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    /** A client with no device certificate. */
    protected GatewayClient client() {
        return gateway.client();
    }
}
