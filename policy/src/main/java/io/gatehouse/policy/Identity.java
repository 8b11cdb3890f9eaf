package io.gatehouse.policy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who is asking, as the gateway established it (session or bearer token). The field names are those of the
 * {@code identity} object in REQUEST.json (DESIGN.md, "The policy CLI"). {@code claims} holds any other token
 * claims as lists of strings; {@code authTime} is absent when the IdP did not say when the login happened.
 */
public record Identity(
        String sub,
        @Nullable String email,
        List<String> groups,
        Map<String, List<String>> claims,
        @Nullable Instant authTime) {

    public Identity {
        Objects.requireNonNull(sub, "sub");
        groups = List.copyOf(groups);
        claims = Map.copyOf(claims);
    }
}
