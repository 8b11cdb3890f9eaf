package io.gatehouse.gateway.decisionservice.grpc;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The request an Envoy {@code CheckRequest} describes, read by {@link CheckRequests} (docs/design-next.md 2.3): the
 * method (upper-case as sent), scheme ({@code http}/{@code https}), host as addressed (lower-case, port kept), the
 * raw path and raw query (split at the first {@code ?}, never decoded; the query null when there was no {@code ?}),
 * the headers (lower-case names, each name once, its values in order; no pseudo-headers), the downstream client's
 * IP, the client certificate Envoy verified (URL-encoded PEM, as sent; null when none),
 * Envoy's own {@code x-request-id} and {@code source.principal} (recorded, never authorized on: per
 * {@code attribute_context.proto} it names Envoy's client, not Envoy).
 */
public record EnvoyCheck(String method, String scheme, String host, String rawPath, @Nullable String rawQuery,
                         Map<String, List<String>> headers, String sourceIp,
                         @Nullable String forwardedCertificate, @Nullable String proxyRequestId,
                         @Nullable String peerPrincipal) {

    public EnvoyCheck {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(rawPath, "rawPath");
        Objects.requireNonNull(sourceIp, "sourceIp");
        headers = Map.copyOf(headers);
    }

    /** The first value of a header (name in lower case), or null. */
    public @Nullable String header(String lowerCaseName) {
        List<String> values = headers.get(lowerCaseName);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The request target as the client sent it: raw path, and {@code ?} and raw query when there was one. */
    public String target() {
        return rawQuery == null ? rawPath : rawPath + '?' + rawQuery;
    }
}
