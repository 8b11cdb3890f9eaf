package io.gatehouse.gateway.decisionservice.grpc;

import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The bounds of the Envoy gRPC ext_authz listener ({@code gatehouse.authz.grpc.*}; its port, address, TLS and
 * callers are {@code decisionservice.AuthzProperties}). Envoy keeps a few long-lived HTTP/2 connections and
 * multiplexes every check over them, so the bounds are per message, per connection and per check (docs/configuration.md
 * "Decision service"):
 *
 * @param checkTimeout                    longest a check may take before it is answered DEADLINE_EXCEEDED (Envoy's
 *                                        own, shorter, {@code timeout} normally cancels it first); default 5s
 * @param maxMessageSize                  largest {@code CheckRequest} accepted (Envoy's header limit is 60 KiB by
 *                                        default, plus the client certificate); default 256KB
 * @param maxHeaderListSize               largest gRPC metadata (HTTP/2 headers) of a call; default 8KB
 * @param maxConcurrentCallsPerConnection checks in flight on one connection; more are refused by HTTP/2 (Envoy then
 *                                        fails the check closed); default 1000
 * @param keepAliveTime                   idle time after which the server pings a connection; default 1m
 * @param keepAliveTimeout                how long a ping may stay unanswered before the connection is closed;
 *                                        default 20s
 * @param permitKeepAliveTime             the shortest interval at which a caller may ping (faster pings close the
 *                                        connection); default 10s
 * @param maxConnectionIdle               a connection with no call for this long is closed; default 5m
 * @param handshakeTimeout                longest a TLS handshake and the HTTP/2 preface may take; default 10s
 * @param shutdownTimeout                 at shutdown, how long checks in flight may finish before the listener
 *                                        closes them; default 10s
 * @param maxConnections                  open connections on the listener; one more is closed at once, before its
 *                                        TLS handshake or any HTTP/2, and counted; default 1000 (Envoy opens about
 *                                        one per worker thread, so this is dozens of proxies' worth, and bounds
 *                                        what a peer that merely reaches the port can hold open)
 */
@ConfigurationProperties("gatehouse.authz.grpc")
public record GrpcListenerProperties(@Nullable Duration checkTimeout, @Nullable DataSize maxMessageSize,
                                     @Nullable DataSize maxHeaderListSize,
                                     @Nullable Integer maxConcurrentCallsPerConnection,
                                     @Nullable Duration keepAliveTime, @Nullable Duration keepAliveTimeout,
                                     @Nullable Duration permitKeepAliveTime, @Nullable Duration maxConnectionIdle,
                                     @Nullable Duration handshakeTimeout, @Nullable Duration shutdownTimeout,
                                     @Nullable Integer maxConnections) {

    /** The default of {@code max-connections}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1000;

    public GrpcListenerProperties {
        checkTimeout = positive("check-timeout", checkTimeout, Duration.ofSeconds(5));
        maxMessageSize = size("max-message-size", maxMessageSize, DataSize.ofKilobytes(256));
        maxHeaderListSize = size("max-header-list-size", maxHeaderListSize, DataSize.ofKilobytes(8));
        maxConcurrentCallsPerConnection = maxConcurrentCallsPerConnection == null ? 1000
                : maxConcurrentCallsPerConnection;
        if (maxConcurrentCallsPerConnection < 1) {
            throw new IllegalArgumentException("gatehouse.authz.grpc.max-concurrent-calls-per-connection must be at"
                    + " least 1, not " + maxConcurrentCallsPerConnection);
        }
        keepAliveTime = positive("keep-alive-time", keepAliveTime, Duration.ofMinutes(1));
        keepAliveTimeout = positive("keep-alive-timeout", keepAliveTimeout, Duration.ofSeconds(20));
        permitKeepAliveTime = positive("permit-keep-alive-time", permitKeepAliveTime, Duration.ofSeconds(10));
        maxConnectionIdle = positive("max-connection-idle", maxConnectionIdle, Duration.ofMinutes(5));
        handshakeTimeout = positive("handshake-timeout", handshakeTimeout, Duration.ofSeconds(10));
        shutdownTimeout = positive("shutdown-timeout", shutdownTimeout, Duration.ofSeconds(10));
        maxConnections = maxConnections == null ? DEFAULT_MAX_CONNECTIONS : maxConnections;
        if (maxConnections < 1) {
            throw new IllegalArgumentException("gatehouse.authz.grpc.max-connections must be at least 1, not "
                    + maxConnections);
        }
    }

    /** The defaults. */
    public static GrpcListenerProperties defaults() {
        return new GrpcListenerProperties(null, null, null, null, null, null, null, null, null, null, null);
    }

    private static Duration positive(String key, @Nullable Duration value, Duration fallback) {
        Duration chosen = value == null ? fallback : value;
        if (chosen.isNegative() || chosen.isZero()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "gatehouse.authz.grpc.%s must be positive, not %s", key, chosen));
        }
        return chosen;
    }

    private static DataSize size(String key, @Nullable DataSize value, DataSize fallback) {
        DataSize chosen = value == null ? fallback : value;
        if (chosen.toBytes() < 1024 || chosen.toBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "gatehouse.authz.grpc.%s must be between 1KB and 2GB, not %s", key, chosen));
        }
        return chosen;
    }
}
