package io.gatehouse.gateway.decisionservice.grpc;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiators;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.gatehouse.gateway.decisionservice.AuthzTls;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The Envoy gRPC ext_authz listener (docs/design-next.md 2.1): a grpc-java server on its own port
 * ({@code gatehouse.authz.grpc.port}; never the public or management port, {@code AuthzPortGuard}) serving
 * {@code envoy.service.auth.v3.Authorization/Check} only, behind {@link CallerInterceptor}. TLS unless
 * {@code gatehouse.authz.tls.enabled=false}, with the material of {@link AuthzTls} (shared with the HTTP listener);
 * when a caller is trusted by certificate, every connection must show one of {@code gatehouse.authz.client-ca} (a
 * certificate from another CA fails the handshake), as on the HTTP listener.
 * Bounded by {@link GrpcListenerProperties}, its open connections by {@link GrpcConnectionCap}. Started with the
 * application context, stopped before the web server: calls in flight get {@code shutdown-timeout} to finish, then
 * are cancelled.
 */
public final class GrpcListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GrpcListener.class);

    /**
     * Where to listen and with which TLS material.
     *
     * @param tls          the decision listeners' certificate, key and callers' CA, or null for plain gRPC
     * @param requireCerts whether a client certificate is required (some caller is trusted by certificate)
     */
    public record Binding(String address, int port, @Nullable AuthzTls tls, boolean requireCerts) {
        public Binding {
            Objects.requireNonNull(address, "address");
            if (requireCerts && (tls == null || tls.callerTrustManagers() == null)) {
                throw new IllegalArgumentException("client certificates need TLS and gatehouse.authz.client-ca");
            }
        }
    }

    private final Binding binding;
    private final GrpcListenerProperties limits;
    private final BindableService service;
    private final ServerInterceptor callers;
    private final MeterRegistry meters;
    private volatile @Nullable Server server;

    /**
     * @param service the {@code Authorization} service ({@link GrpcCheckService})
     * @param callers the interceptor that establishes the caller first ({@link CallerInterceptor})
     * @param meters  where the connection cap's meters go
     */
    public GrpcListener(Binding binding, GrpcListenerProperties limits, BindableService service,
                        ServerInterceptor callers, MeterRegistry meters) {
        this.binding = Objects.requireNonNull(binding, "binding");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.service = Objects.requireNonNull(service, "service");
        this.callers = Objects.requireNonNull(callers, "callers");
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    @Override
    public void start() {
        NettyServerBuilder builder = NettyServerBuilder
                .forAddress(new InetSocketAddress(binding.address(), binding.port()))
                // The interceptor decides on the caller before the message is read; Check itself never blocks
                // (the pipeline is reactive), so calls run on the transport's threads: no unbounded pool.
                .directExecutor()
                .addService(ServerInterceptors.intercept(service, callers))
                .maxInboundMessageSize((int) limits.maxMessageSize().toBytes())
                .maxInboundMetadataSize((int) limits.maxHeaderListSize().toBytes())
                .maxConcurrentCallsPerConnection(limits.maxConcurrentCallsPerConnection())
                .keepAliveTime(limits.keepAliveTime().toNanos(), TimeUnit.NANOSECONDS)
                .keepAliveTimeout(limits.keepAliveTimeout().toNanos(), TimeUnit.NANOSECONDS)
                .permitKeepAliveTime(limits.permitKeepAliveTime().toNanos(), TimeUnit.NANOSECONDS)
                .permitKeepAliveWithoutCalls(true)
                .maxConnectionIdle(limits.maxConnectionIdle().toNanos(), TimeUnit.NANOSECONDS)
                .handshakeTimeout(limits.handshakeTimeout().toNanos(), TimeUnit.NANOSECONDS);
        AuthzTls tls = binding.tls();
        // The cap's handler comes first on every accepted connection; only an admitted one gets TLS and HTTP/2.
        builder.protocolNegotiator(new GrpcConnectionCap(tls == null ? InternalProtocolNegotiators.serverPlaintext()
                : InternalProtocolNegotiators.serverTls(sslContext(tls)), limits.maxConnections(), meters));
        try {
            server = builder.build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("decision service: cannot listen for Envoy gRPC ext_authz on "
                    + binding.address() + ":" + binding.port(), e);
        }
        log.info("decision service: Envoy gRPC ext_authz (envoy.service.auth.v3.Authorization/Check) on {}:{}, {},"
                        + " at most {} connections", binding.address(), port(), tls == null ? "plain gRPC (no TLS)"
                        : binding.requireCerts() ? "TLS, client certificates required" : "TLS",
                limits.maxConnections());
    }

    private SslContext sslContext(AuthzTls tls) {
        try {
            SslContextBuilder ssl = GrpcSslContexts.configure(SslContextBuilder.forServer(tls.keyManagers()))
                    .protocols("TLSv1.3", "TLSv1.2");
            if (binding.requireCerts()) {
                // Every connection shows a certificate of gatehouse.authz.client-ca, or the handshake fails.
                ssl.trustManager(tls.callerTrustManagers()).clientAuth(ClientAuth.REQUIRE);
            }
            return ssl.build();
        } catch (SSLException e) {
            throw new IllegalStateException("decision service: cannot set up the gRPC listener's TLS", e);
        }
    }

    /** The port bound (the configured one, or the one chosen for port 0); -1 before start. */
    public int port() {
        Server running = server;
        return running == null ? -1 : running.getPort();
    }

    @Override
    public void stop() {
        Server running = server;
        if (running == null) {
            return;
        }
        running.shutdown();
        try {
            if (!running.awaitTermination(limits.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("decision service: gRPC checks still running after {}; cancelling them",
                        limits.shutdownTimeout());
                running.shutdownNow();
            }
        } catch (InterruptedException e) {
            running.shutdownNow();
            Thread.currentThread().interrupt();
        }
        server = null;
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** Stops before the web server's graceful shutdown phase; starts after it. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 512;
    }
}
