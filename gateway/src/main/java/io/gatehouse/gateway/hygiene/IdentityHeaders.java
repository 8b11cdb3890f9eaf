package io.gatehouse.gateway.hygiene;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names of other proxies' identity headers, which no upstream may ever receive from a client: a backend that
 * once sat behind oauth2-proxy, Pomerium, Cloudflare Access, IAP, an AWS ALB, Azure App Service, or an nginx/Apache
 * doing mTLS may still trust {@code X-Remote-User} or {@code SSL-Client-Verify}; behind Gatehouse it must learn the
 * user and device from the signed assertion only. The built-in list ({@link #BUILT_IN}) plus the operator's
 * {@code gatehouse.hygiene.strip-headers}: exact names and {@code prefix*} patterns. Names compare lower-cased
 * ({@link Locale#ROOT}) with {@code _} read as {@code -}. A bad pattern fails startup with its value. Immutable.
 */
public final class IdentityHeaders {

    /** Exact names and {@code prefix*} patterns always removed; see docs/configuration.md, "Request hygiene". */
    public static final List<String> BUILT_IN = List.of(
            // web-server and auth-proxy user headers (Apache, nginx auth_request, Kubernetes auth proxy, Grafana)
            "Remote-User", "X-Remote-User", "X-Remote-Group", "X-Remote-Extra-*", "X-WEBAUTH-USER",
            // oauth2-proxy
            "X-Auth-Request-*", "X-Forwarded-User", "X-Forwarded-Email", "X-Forwarded-Groups",
            "X-Forwarded-Preferred-Username", "X-Forwarded-Access-Token",
            // Pomerium, Cloudflare Access, Google IAP, AWS ALB, Azure App Service
            "X-Pomerium-*", "Cf-Access-*", "X-Goog-Authenticated-*", "X-Goog-Iap-Jwt-Assertion", "X-Amzn-Oidc-*",
            "X-Amzn-Mtls-*", "X-Ms-Client-Principal*", "X-Ms-Token-*", "X-Arr-ClientCert",
            // client certificates forwarded by TLS terminators (nginx, Apache mod_ssl, HAProxy, Traefik, Envoy)
            "SSL-Client-*", "X-SSL-Client-*", "X-Client-Cert*", "X-Client-Verify", "X-Forwarded-Client-Cert",
            "X-Forwarded-Tls-Client-Cert*");

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'+.^_`|~0-9A-Za-z-]+\\*?");

    private final Set<String> exact;
    private final List<String> prefixes;
    private final List<String> configured;

    /** The built-in list plus {@code configured} (each an exact name or a {@code prefix*} pattern). */
    public IdentityHeaders(List<String> configured) {
        Set<String> names = new HashSet<>();
        List<String> starts = new ArrayList<>();
        List<String> all = new ArrayList<>(BUILT_IN);
        List<String> extra = new ArrayList<>();
        for (String entry : configured) {
            String trimmed = entry.trim();
            if (!trimmed.isEmpty()) {
                extra.add(trimmed);
            }
        }
        all.addAll(extra);
        for (String entry : all) {
            if (!TOKEN.matcher(entry).matches() || entry.equals("*")) {
                throw new IllegalArgumentException("gatehouse.hygiene.strip-headers: \"" + entry + "\" is not a"
                        + " header name or a name prefix followed by *, e.g. X-Remote-User or X-Corp-Auth-*");
            }
            String folded = fold(entry);
            if (folded.endsWith("*")) {
                starts.add(folded.substring(0, folded.length() - 1));
            } else {
                names.add(folded);
            }
        }
        this.exact = Set.copyOf(names);
        this.prefixes = List.copyOf(starts);
        this.configured = List.copyOf(extra);
    }

    /** The built-in list only. */
    public static IdentityHeaders builtIn() {
        return new IdentityHeaders(List.of());
    }

    /** True when {@code foldedName} (lower case, {@code _} as {@code -}; see {@link #fold}) is on the list. */
    boolean matches(String foldedName) {
        if (exact.contains(foldedName)) {
            return true;
        }
        for (String prefix : prefixes) {
            if (foldedName.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The operator's entries, as configured (for the startup log). */
    public List<String> configured() {
        return configured;
    }

    static String fold(String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
