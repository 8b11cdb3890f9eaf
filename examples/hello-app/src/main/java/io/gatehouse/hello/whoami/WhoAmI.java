package io.gatehouse.hello.whoami;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.gatehouse.verifier.GatehouseIdentity;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What the page and {@code /whoami.json} show: the identity plus how long its assertion has left. */
record WhoAmI(
        String subject,
        @Nullable String email,
        List<String> groups,
        GatehouseIdentity.@Nullable Device device,
        String jti,
        String issuer,
        String audience,
        @JsonProperty("issued_at") Instant issuedAt,
        @JsonProperty("expires_at") Instant expiresAt,
        @JsonProperty("remaining_seconds") long remainingSeconds,
        @JsonProperty("signature_provider") String signatureProvider,
        Map<String, Object> claims) {

    static WhoAmI of(GatehouseIdentity id, Clock clock, String signatureProvider) {
        return new WhoAmI(id.subject(), id.email(), id.groups(), id.device(), id.jti(), id.issuer(), id.audience(),
                id.issuedAt(), id.expiresAt(), Math.max(0, id.remainingLifetime(clock).toSeconds()), signatureProvider,
                id.claims());
    }
}
