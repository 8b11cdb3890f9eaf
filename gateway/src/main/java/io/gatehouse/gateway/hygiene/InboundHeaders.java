package io.gatehouse.gateway.hygiene;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.springframework.http.HttpHeaders;

/**
 * Which inbound headers never reach a later stage or the upstream. Names are compared after lower-casing
 * ({@link Locale#ROOT}) and reading {@code _} as {@code -}, because some upstream stacks (CGI, WSGI, PHP) fold the
 * two together, so {@code X_Gatehouse_Assertion} would otherwise shadow the real header.
 * <ul>
 *   <li>{@code X-Gatehouse-*}: always removed; only the gateway writes them (the assertion, later).</li>
 *   <li>path-override headers ({@code X-Original-URL}, {@code X-Original-Method}, {@code X-Rewrite-URL}): always
 *       removed; some upstreams route by them (and nginx {@code auth_request} recipes set them), which would bypass
 *       the path and method the policy decided on.</li>
 *   <li>method-override headers ({@code X-HTTP-Method-Override}, {@code X-HTTP-Method}, {@code X-Method-Override}):
 *       always removed; an app that honours them would run a DELETE that a {@code methods: [GET]} rule allowed as a
 *       GET.</li>
 *   <li>other proxies' identity headers ({@link IdentityHeaders}: built-in list plus
 *       {@code gatehouse.hygiene.strip-headers}): always removed, from trusted proxies too;</li>
 *   <li>the forwarded-certificate header ({@code gatehouse.device.forwarded-certificate-header}): kept only from a
 *       trusted front proxy, for DEVICE to read; {@code forward.ForwardedHeaders} removes it before forwarding.</li>
 *   <li>forwarding and client-address headers ({@code Forwarded}, {@code X-Forwarded-*}, {@code X-Real-IP}, ...):
 *       removed unless the peer is a trusted front proxy; underscore spellings always removed.</li>
 *   <li>{@code HTTP2-Settings} and any {@code Upgrade} other than websocket: removed (no h2c smuggling).</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class InboundHeaders {

    private static final String GATEHOUSE_PREFIX = "x-gatehouse-";
    private static final Set<String> FORWARDING = Set.of(
            "forwarded", "x-real-ip", "x-client-ip", "true-client-ip", "x-cluster-client-ip", "client-ip",
            "x-original-forwarded-for", "x-envoy-external-address", "cf-connecting-ip", "fastly-client-ip");
    private static final Set<String> ALWAYS = Set.of("x-original-url", "x-original-method", "x-rewrite-url",
            "http2-settings",
            "x-http-method-override", "x-http-method", "x-method-override");

    private final IdentityHeaders identity;
    private final String certificateHeader;

    /**
     * @param identity                  the identity headers to remove from every peer
     * @param forwardedCertificateHeader the header a trusted front proxy forwards the client certificate in
     */
    public InboundHeaders(IdentityHeaders identity, String forwardedCertificateHeader) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.certificateHeader = IdentityHeaders.fold(
                Objects.requireNonNull(forwardedCertificateHeader, "forwardedCertificateHeader"));
    }

    /** The built-in lists and the default forwarded-certificate header, {@code X-Forwarded-Client-Cert}. */
    public static InboundHeaders defaults() {
        return new InboundHeaders(IdentityHeaders.builtIn(), "X-Forwarded-Client-Cert");
    }

    /** True when {@link #strip} would remove something: most requests carry nothing to strip and need no copy. */
    public boolean anyToStrip(HttpHeaders headers, boolean trustedPeer) {
        for (String name : headers.keySet()) {
            if (mustRemove(name, trustedPeer)) {
                return true;
            }
        }
        return unwantedUpgrade(headers);
    }

    /** Removes every header that must not pass; {@code trustedPeer} says whether forwarding headers may stay. */
    public void strip(HttpHeaders headers, boolean trustedPeer) {
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
    public boolean mustRemove(String name, boolean trustedPeer) {
        String lower = name.toLowerCase(Locale.ROOT);
        String folded = lower.replace('_', '-');
        if (folded.startsWith(GATEHOUSE_PREFIX) || ALWAYS.contains(folded)) {
            return true;
        }
        boolean underscore = lower.indexOf('_') >= 0;
        if (folded.equals(certificateHeader)) {
            // DEVICE reads it from a trusted proxy (docs/design.md: never from anyone else); forwarding removes it.
            return !trustedPeer || underscore;
        }
        if (identity.matches(folded)) {
            return true;
        }
        boolean forwarding = folded.startsWith("x-forwarded-") || FORWARDING.contains(folded);
        if (!forwarding) {
            return false;
        }
        return !trustedPeer || underscore;
    }
}
