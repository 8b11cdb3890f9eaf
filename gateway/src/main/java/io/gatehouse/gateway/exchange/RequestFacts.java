package io.gatehouse.gateway.exchange;

import io.gatehouse.gateway.tls.ConnectionTls;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/**
 * The facts of one request as the stages judge them, without the exchange they came from (docs/design-next.md, §1):
 * on the public listener they are read from the connection ({@link #of(ServerWebExchange)}); in the decision service
 * they describe another proxy's request (a dialect builds them from {@code X-Original-URL}, {@code X-Forwarded-*} or
 * an Envoy {@code CheckRequest}). Immutable; {@code headers} is a read-only copy whose names compare
 * case-insensitively.
 *
 * @param method               the method, upper case
 * @param scheme               {@code https} or {@code http}, lower case
 * @param host                 the host as addressed (Host / {@code :authority}), with its port when one was named,
 *                             lower case
 * @param rawPath              the path exactly as sent, not decoded; {@code ""} for none
 * @param rawQuery             the query exactly as sent, or null when there was none
 * @param headers              the request's headers (read-only)
 * @param sourceIp             the client's address (the TCP peer on the public listener)
 * @param clientCertificate    the certificate verified in this connection's TLS handshake, or null
 * @param forwardedCertificate a client certificate forwarded by a trusted proxy, as received (URL-encoded PEM or
 *                             Envoy's XFCC element), or null
 * @param tlsProtocol          the TLS protocol of the client's connection, or null when unknown (decision service)
 */
public record RequestFacts(String method, String scheme, String host, String rawPath, @Nullable String rawQuery,
                           HttpHeaders headers, String sourceIp, @Nullable X509Certificate clientCertificate,
                           @Nullable String forwardedCertificate, @Nullable String tlsProtocol) {

    public RequestFacts {
        method = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
        scheme = Objects.requireNonNull(scheme, "scheme").toLowerCase(Locale.ROOT);
        host = Objects.requireNonNull(host, "host").toLowerCase(Locale.ROOT);
        Objects.requireNonNull(rawPath, "rawPath");
        headers = HttpHeaders.readOnlyHttpHeaders(Objects.requireNonNull(headers, "headers"));
        Objects.requireNonNull(sourceIp, "sourceIp");
    }

    /** The facts of a request on the public listener: no forwarded certificate (DEVICE reads that itself). */
    public static RequestFacts of(ServerWebExchange exchange) {
        return of(exchange, null);
    }

    /** As {@link #of(ServerWebExchange)}, with a certificate a trusted front proxy forwarded (or null). */
    public static RequestFacts of(ServerWebExchange exchange, @Nullable String forwardedCertificate) {
        ServerHttpRequest request = exchange.getRequest();
        URI uri = request.getURI();
        ConnectionTls tls = ConnectionTls.of(request);
        return new RequestFacts(request.getMethod().name(), Addresses.scheme(request), Addresses.host(request),
                uri.getRawPath() == null ? "" : uri.getRawPath(), uri.getRawQuery(), request.getHeaders(),
                Addresses.sourceIp(request), tls == null ? null : tls.clientCertificate(), forwardedCertificate,
                tls == null ? null : tls.protocol());
    }

    /** The first value of a header, or null. */
    public @Nullable String header(String name) {
        return headers.getFirst(name);
    }

    /** The User-Agent, or null. */
    public @Nullable String userAgent() {
        return headers.getFirst(HttpHeaders.USER_AGENT);
    }

    /** The host name without the port ({@code [::1]} keeps its brackets). */
    public String hostName() {
        int close = host.lastIndexOf(']');
        int colon = host.lastIndexOf(':');
        return colon > close ? host.substring(0, colon) : host;
    }

    /** The port as addressed, or -1 when none was named. */
    public int explicitPort() {
        int close = host.lastIndexOf(']');
        int colon = host.lastIndexOf(':');
        if (colon <= close || colon == host.length() - 1) {
            return -1;
        }
        try {
            return Integer.parseInt(host.substring(colon + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The host without the scheme's default port, as the assertion's {@code http.host} binds it. */
    public String canonicalHost() {
        int port = explicitPort();
        boolean defaultPort = port == ("https".equals(scheme) ? 443 : 80);
        return defaultPort ? hostName() : host;
    }

    /** {@code scheme://host[:port]}, the port only when it is not the scheme's default. */
    public String origin() {
        return scheme + "://" + canonicalHost();
    }

    /** The URL as addressed: origin, raw path and raw query. */
    public String url() {
        return origin() + (rawPath.isEmpty() ? "/" : rawPath) + (rawQuery == null ? "" : "?" + rawQuery);
    }
}
