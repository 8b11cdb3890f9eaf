package io.gatehouse.gateway.settings;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Startup stopped because of {@code gatehouse.*} keys the gateway does not read (a misspelt key is otherwise
 * ignored, and its default applies: a misspelt {@code gatehouse.oidc.issuer-uri} would turn browser login off).
 * The message lists each key with its origin and suggestion; {@link UnknownPropertiesFailureAnalyzer} turns it into
 * Spring Boot's startup failure report.
 */
public final class UnknownPropertiesException extends IllegalStateException {

    private final List<UnknownProperty> unknown;

    public UnknownPropertiesException(List<UnknownProperty> unknown) {
        super(describe(unknown));
        this.unknown = List.copyOf(unknown);
    }

    public List<UnknownProperty> unknown() {
        return unknown;
    }

    static String describe(List<UnknownProperty> unknown) {
        return "unknown gatehouse.* propert" + (unknown.size() == 1 ? "y" : "ies") + ":\n"
                + unknown.stream().map(u -> "  " + u.describe()).collect(Collectors.joining("\n"));
    }
}
