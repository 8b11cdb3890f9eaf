package io.gatehouse.gateway.settings;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One {@code gatehouse.*} key the gateway does not read: the key as it was written (an environment variable by its
 * variable name), where it was found, and the nearest known key, if one is close.
 *
 * @param key        as written: {@code gatehouse.oidc.isuer-uri}, {@code GATEHOUSE_OIDC_ISUERURI}
 * @param origin     where: {@code class path resource [application.yml] - 12:5}, {@code environment variable},
 *                   {@code command line}
 * @param suggestion the known key to use instead, in the same form as {@code key}; null when none is close
 */
public record UnknownProperty(String key, String origin, @Nullable String suggestion) {

    public UnknownProperty {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(origin, "origin");
    }

    /** {@code gatehouse.oidc.isuer-uri (from …): did you mean gatehouse.oidc.issuer-uri?} */
    public String describe() {
        return key + " (from " + origin + ")" + (suggestion == null ? ": no known key is close"
                : ": did you mean " + suggestion + "?");
    }
}
