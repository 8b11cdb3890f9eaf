package io.gatehouse.gateway.listener;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code gatehouse.listener.*}: how long the public listener waits for a slow client, and how many connections it
 * holds open at once. Idle connections (keep-alive between requests, an HTTP/2 connection with nothing to read) are
 * Spring Boot's {@code server.netty.idle-timeout} (application.yml: 60 s). Every value must be positive.
 *
 * @param tlsHandshakeTimeout from the TCP accept to a finished TLS handshake (default 10 s)
 * @param headerReadTimeout   from the first byte of an HTTP/1.1 request head to its blank line (default 15 s)
 * @param bodyReadTimeout     the longest gap between two reads of a request body, HTTP/1.1 and HTTP/2 (default 30 s)
 * @param bodyTimeout         from a request head to the end of its body (default 5 min)
 * @param maxConnections      open connections on the public listener; one more is closed at once (default 10 000)
 */
@ConfigurationProperties("gatehouse.listener")
public record ListenerProperties(@Nullable Duration tlsHandshakeTimeout, @Nullable Duration headerReadTimeout,
                                 @Nullable Duration bodyReadTimeout, @Nullable Duration bodyTimeout,
                                 @Nullable Integer maxConnections) {

    public static final Duration DEFAULT_TLS_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_HEADER_READ_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration DEFAULT_BODY_READ_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

    public ListenerProperties {
        tlsHandshakeTimeout = positive("tls-handshake-timeout", tlsHandshakeTimeout, DEFAULT_TLS_HANDSHAKE_TIMEOUT);
        headerReadTimeout = positive("header-read-timeout", headerReadTimeout, DEFAULT_HEADER_READ_TIMEOUT);
        bodyReadTimeout = positive("body-read-timeout", bodyReadTimeout, DEFAULT_BODY_READ_TIMEOUT);
        bodyTimeout = positive("body-timeout", bodyTimeout, DEFAULT_BODY_TIMEOUT);
        maxConnections = maxConnections == null ? DEFAULT_MAX_CONNECTIONS : maxConnections;
        if (maxConnections < 1) {
            throw new IllegalArgumentException("gatehouse.listener.max-connections must be at least 1, not "
                    + maxConnections);
        }
    }

    private static Duration positive(String key, @Nullable Duration value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("gatehouse.listener." + key + " must be positive, not " + value);
        }
        return value;
    }
}
