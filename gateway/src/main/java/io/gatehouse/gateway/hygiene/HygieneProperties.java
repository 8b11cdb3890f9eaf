package io.gatehouse.gateway.hygiene;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code gatehouse.hygiene.strip-headers}: request headers removed from every request before any stage reads them
 * and never forwarded, in addition to the built-in {@link IdentityHeaders#BUILT_IN} list (which cannot be shortened).
 * Exact names or {@code prefix*} patterns, compared case-insensitively with {@code _} read as {@code -}. Empty by
 * default. For identity headers of a proxy the organisation used before Gatehouse, e.g. {@code X-Corp-User}.
 */
@ConfigurationProperties("gatehouse.hygiene")
public record HygieneProperties(List<String> stripHeaders) {

    public HygieneProperties {
        stripHeaders = stripHeaders == null ? List.of() : List.copyOf(stripHeaders);
    }
}
