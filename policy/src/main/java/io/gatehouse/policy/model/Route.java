package io.gatehouse.policy.model;

import io.gatehouse.policy.Mode;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code routes:} (docs/design.md, "Configuration"): requests whose URL falls under {@code from}
 * (host, effective port and path prefix) are decided by {@code policy} and forwarded to {@code to} with the
 * path unchanged. {@code audience} is the {@code aud} of the assertion (default: the id). {@code mode} audit
 * decides and logs but lets denied requests through. {@code shadow} is the route's candidate policy ({@code shadow:}
 * beside {@code policy:}, docs/policy.md "Shadow policy"): decided on every request next to {@code policy} but never
 * acted on; null when the route has none, and then nothing extra is evaluated.
 */
public record Route(String id, URI from, URI to, Mode mode, String audience, Policy policy, @Nullable Policy shadow) {

    public Route {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(policy, "policy");
    }

    /** A route without a shadow policy. */
    public Route(String id, URI from, URI to, Mode mode, String audience, Policy policy) {
        this(id, from, to, mode, audience, policy, null);
    }

    /** The lower-cased host of {@code from}. */
    public String host() {
        return from.getHost().toLowerCase(Locale.ROOT);
    }

    /** The port of {@code from}, or the scheme's default (443 for https, 80 for http) when it names none. */
    public int port() {
        return effectivePort(from);
    }

    /** The path prefix of {@code from} without a trailing slash; empty for the whole host. */
    public String pathPrefix() {
        String p = from.getPath() == null ? "" : from.getPath();
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /** A URL's port, or its scheme's default port; -1 for a scheme without one. */
    public static int effectivePort(URI url) {
        if (url.getPort() >= 0) {
            return url.getPort();
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "https" -> 443;
            case "http" -> 80;
            default -> -1;
        };
    }
}
