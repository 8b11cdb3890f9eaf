package io.gatehouse.deviceinventory.web;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Who made a change, for the history: the token's {@code sub} ({@code client:<id>} when it has none) and the OAuth2
 * client it came through ({@code azp}, else {@code client_id}; null when the token names none).
 */
public record Actor(String subject, @Nullable String client) {

    public Actor {
        Objects.requireNonNull(subject, "subject");
    }

    public static Actor of(Jwt jwt) {
        Object azp = jwt.getClaims().get("azp");
        Object clientId = azp != null ? azp : jwt.getClaims().get("client_id");
        String client = clientId == null ? null : clientId.toString();
        String sub = jwt.getSubject();
        if (sub == null || sub.isBlank()) {
            sub = client == null ? "unknown" : "client:" + client;
        }
        return new Actor(sub, client);
    }
}
