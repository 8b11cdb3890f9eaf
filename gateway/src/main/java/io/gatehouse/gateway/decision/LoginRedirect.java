package io.gatehouse.gateway.decision;

import java.net.URI;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The start of a login as a value (docs/design-next.md §1): where to send the browser (the IdP's authorization
 * endpoint) and the {@code Set-Cookie} value of the pre-login cookie {@code __Host-gatehouse-login}, null when the
 * browser's existing pre-login session was reused. A transport writes both with {@code Cache-Control: no-store}.
 */
public record LoginRedirect(URI location, @Nullable String setCookie) {
    public LoginRedirect {
        Objects.requireNonNull(location, "location");
    }
}
