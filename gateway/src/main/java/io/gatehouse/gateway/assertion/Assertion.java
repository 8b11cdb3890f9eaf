package io.gatehouse.gateway.assertion;

import java.util.Objects;

/** A signed assertion: the compact JWT for {@code X-Gatehouse-Assertion}, and its {@code jti} for the decision log. */
public record Assertion(String jwt, String jti, String kid) {
    public Assertion {
        Objects.requireNonNull(jwt, "jwt");
        Objects.requireNonNull(jti, "jti");
        Objects.requireNonNull(kid, "kid");
    }
}
