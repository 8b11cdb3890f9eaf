package io.gatehouse.deviceinventory.web;

import org.springframework.security.oauth2.jwt.Jwt;

/** Who made a change, for the history: the token's {@code sub}, else its client ({@code azp}/{@code client_id}). */
public final class Actor {

    private Actor() {
    }

    public static String of(Jwt jwt) {
        if (jwt.getSubject() != null && !jwt.getSubject().isBlank()) {
            return jwt.getSubject();
        }
        Object client = jwt.getClaims().getOrDefault("azp", jwt.getClaims().get("client_id"));
        return client == null ? "unknown" : "client:" + client;
    }
}
