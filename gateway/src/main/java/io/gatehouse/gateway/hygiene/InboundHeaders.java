package io.gatehouse.gateway.hygiene;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.HttpHeaders;

/**
 * Which inbound headers never reach a later stage or the upstream. Names are compared after lower-casing
 * ({@link Locale#ROOT}) and reading {@code _} as {@code -}, because some upstream stacks (CGI, WSGI, PHP) fold the
 * two together, so {@code X_Gatehouse_Assertion} would otherwise shadow the real header.
 * <ul>
 *   <li>{@code X-Gatehouse-*}: always removed; only the gateway writes them (the assertion, later).</li>
 *   <li>forwarding and client-address headers ({@code Forwarded}, {@code X-Forwarded-*}, {@code X-Real-IP}, ...):
 *       removed unless the peer is a trusted front proxy; underscore spellings always removed.</li>
 *   <li>path-override headers ({@code X-Original-URL}, {@code X-Rewrite-URL}): always removed; some upstreams route by
 *       them, which would bypass the path the policy decided on.</li>
 *   <li>{@code HTTP2-Settings} and any {@code Upgrade} other than websocket: removed (no h2c smuggling).</li>
 * </ul>
 */
public final class InboundHeaders {

    private static final String GATEHOUSE_PREFIX = "x-gatehouse-";
    private static final Set<String> FORWARDING = Set.of(
            "forwarded", "x-real-ip", "x-client-ip", "true-client-ip", "x-cluster-client-ip", "client-ip",
            "x-original-forwarded-for", "x-envoy-external-address", "cf-connecting-ip", "fastly-client-ip");
    private static final Set<String> ALWAYS = Set.of("x-original-url", "x-rewrite-url", "http2-settings");

    private InboundHeaders() {
    }

    /** True when {@link #strip} would remove something: most requests carry nothing to strip and need no copy. */
    public static boolean anyToStrip(HttpHeaders headers, boolean trustedPeer) {
        for (String name : headers.keySet()) {
            if (mustRemove(name, trustedPeer)) {
                return true;
            }
        }
        return unwantedUpgrade(headers);
    }

    /** Removes every header that must not pass; {@code trustedPeer} says whether forwarding headers may stay. */
    public static void strip(HttpHeaders headers, boolean trustedPeer) {
        List<String> names = List.copyOf(headers.keySet());
        for (String name : names) {
            if (mustRemove(name, trustedPeer)) {
                headers.remove(name);
            }
        }
        if (unwantedUpgrade(headers)) {
            headers.remove(HttpHeaders.UPGRADE);
        }
    }

    private static boolean unwantedUpgrade(HttpHeaders headers) {
        List<String> upgrade = headers.getOrEmpty(HttpHeaders.UPGRADE);
        return !upgrade.isEmpty() && !(upgrade.size() == 1 && upgrade.get(0).trim().equalsIgnoreCase("websocket"));
    }

    /** True for a header name that must never pass from this peer. */
    public static boolean mustRemove(String name, boolean trustedPeer) {
        String lower = name.toLowerCase(Locale.ROOT);
        String folded = lower.replace('_', '-');
        if (folded.startsWith(GATEHOUSE_PREFIX) || ALWAYS.contains(folded)) {
            return true;
        }
        boolean forwarding = folded.startsWith("x-forwarded-") || FORWARDING.contains(folded);
        if (!forwarding) {
            return false;
        }
        return !trustedPeer || lower.indexOf('_') >= 0;
    }
}
