package io.gatehouse.gateway.decisionservice.http;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;

/**
 * One check request as the HTTP authz listener received it from a trusted caller, before a dialect reads the
 * request it describes: the check's own method, path after the dialect's prefix ({@code /authz/envoy/a/b} →
 * {@code /a/b}; empty for the other dialects), query, headers, and the caller's address.
 */
public record AuthzCheck(String method, String rawPath, @Nullable String rawQuery, HttpHeaders headers,
                         String callerIp) {
    public AuthzCheck {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        headers = HttpHeaders.readOnlyHttpHeaders(Objects.requireNonNull(headers, "headers"));
        Objects.requireNonNull(callerIp, "callerIp");
    }
}
