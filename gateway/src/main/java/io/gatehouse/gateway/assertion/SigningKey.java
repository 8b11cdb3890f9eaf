package io.gatehouse.gateway.assertion;

import com.nimbusds.jose.jwk.ECKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One assertion signing key with its window. It is <em>published</em> (in the JWKS) from the moment it is
 * configured until {@code retireAfter}; it may <em>sign</em> from {@code notBefore} on, as long as every token it
 * signs expires before {@code retireAfter} — so a verifier can always find the key of a live token.
 */
public record SigningKey(String kid, ECKey key, @Nullable Instant notBefore, @Nullable Instant retireAfter) {

    public SigningKey {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(key, "key");
        if (!key.isPrivate()) {
            throw new IllegalArgumentException("signing key " + kid + " has no private part");
        }
        if (notBefore != null && retireAfter != null && !retireAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("signing key " + kid + ": retire-after " + retireAfter
                    + " is not after not-before " + notBefore);
        }
    }

    public boolean publishedAt(Instant now) {
        return retireAfter == null || now.isBefore(retireAfter);
    }

    /** May sign at {@code now} a token living {@code ttl}: started, and the token dies before the key retires. */
    public boolean signsAt(Instant now, Duration ttl) {
        boolean started = notBefore == null || !now.isBefore(notBefore);
        boolean outlived = retireAfter != null && now.plus(ttl).isAfter(retireAfter);
        return started && !outlived;
    }
}
