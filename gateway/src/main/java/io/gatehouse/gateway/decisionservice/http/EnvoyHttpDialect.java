package io.gatehouse.gateway.decisionservice.http;

import io.gatehouse.gateway.decisionservice.Outcome;
import io.gatehouse.gateway.exchange.RequestFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.HttpHeaders;

/**
 * Envoy's HTTP ext_authz ({@code /authz/envoy/<original path>}, Envoy {@code path_prefix: /authz/envoy};
 * docs/decision-service.md). Envoy allows on 200 only and copies {@code allowed_upstream_headers} (list
 * {@code x-gatehouse-assertion}) upstream; any other answer goes to the client as it is. Facts: the check's own
 * method, Host and path (minus the prefix) and query; the scheme from {@code x-forwarded-proto}; the client from the
 * last {@code x-forwarded-for} hop; the device from {@code x-forwarded-client-cert} (XFCC). Answers as
 * {@link ForwardAuthDialect}, and an allow also lists the inbound {@code x-gatehouse-*} headers other than the
 * assertion in {@code x-envoy-auth-headers-to-remove}, so no forged Gatehouse header reaches the upstream, and
 * answers {@code cookie} without Gatehouse's own cookies (list {@code cookie} in {@code allowed_upstream_headers}).
 */
public final class EnvoyHttpDialect extends ForwardAuthDialect {

    /** The path prefix Envoy's {@code path_prefix} adds. */
    public static final String PREFIX = "/authz/envoy";

    @Override
    public String name() {
        return "envoy-http";
    }

    @Override
    public RequestFacts facts(AuthzCheck check) throws FactsInvalidException {
        HttpHeaders h = check.headers();
        String method = DialectSupport.method(check.method(), "the check's method");
        String scheme = DialectSupport.scheme(DialectSupport.required(h, "X-Forwarded-Proto"), "X-Forwarded-Proto");
        String host = DialectSupport.host(DialectSupport.required(h, HttpHeaders.HOST), "Host");
        String client = DialectSupport.lastHop(DialectSupport.required(h, "X-Forwarded-For"), "X-Forwarded-For");
        String path = check.rawPath().isEmpty() ? "/" : check.rawPath();
        String target = check.rawQuery() == null ? path : path + "?" + check.rawQuery();
        return DialectSupport.facts(method, scheme, host, target, h, client, "the check's path", Set.of(), false);
    }

    @Override
    void allowHeaders(Outcome outcome, RequestFacts facts, HttpHeaders headers) {
        List<String> remove = new ArrayList<>();
        facts.headers().keySet().forEach(name -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.replace('_', '-').startsWith("x-gatehouse-") && !lower.equals("x-gatehouse-assertion")) {
                remove.add(lower);
            }
        });
        // Gatehouse's session cookie never reaches the upstream (Q2): Envoy copies a "cookie" answer header over the
        // upstream request's (allowed_upstream_headers), or removes it when nothing else is left.
        String cookie = DialectSupport.upstreamCookie(facts);
        if (cookie != null && cookie.isEmpty()) {
            remove.add("cookie");
        } else if (cookie != null) {
            headers.set(HttpHeaders.COOKIE, cookie);
        }
        if (!remove.isEmpty()) {
            headers.set("x-envoy-auth-headers-to-remove", String.join(",", remove));
        }
    }
}
