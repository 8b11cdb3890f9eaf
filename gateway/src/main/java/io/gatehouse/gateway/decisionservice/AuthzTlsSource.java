package io.gatehouse.gateway.decisionservice;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.web.server.Ssl;

/**
 * Hands both decision listeners (HTTP and gRPC) the <em>same</em> {@link AuthzTls}, loaded and watched on first use
 * (so no file is read, and no watcher runs, when no decision listener is configured) and stopped with the context.
 */
public final class AuthzTlsSource implements AutoCloseable {

    private final AuthzProperties properties;
    private final @Nullable Ssl serverSsl;
    private final MeterRegistry meters;
    private final Duration pollInterval;
    private boolean loaded;
    private @Nullable AuthzTls tls;

    public AuthzTlsSource(AuthzProperties properties, @Nullable Ssl serverSsl, MeterRegistry meters,
                          Duration pollInterval) {
        this.properties = Objects.requireNonNull(properties, "properties");
        this.serverSsl = serverSsl;
        this.meters = Objects.requireNonNull(meters, "meters");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    }

    /** The listeners' material (watched from now on), or null when {@code gatehouse.authz.tls.enabled=false}. */
    public synchronized @Nullable AuthzTls tls() {
        if (!loaded) {
            tls = AuthzTls.load(properties, serverSsl, meters);
            loaded = true;
            if (tls != null) {
                tls.watch(pollInterval);
            }
        }
        return tls;
    }

    @Override
    public synchronized void close() {
        if (tls != null) {
            tls.close();
        }
    }
}
