package io.gatehouse.gateway.assertion;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code gatehouse.signing.*}: the assertion signing keys and the assertion lifetime (docs/design.md, "The assertion
 * header"). Each key has a {@code kid} (unset: the key's RFC 7638 thumbprint), a {@code path} (PEM, or PKCS#12 when it ends in {@code .p12}/{@code .pfx}
 * or {@code format: pkcs12} is set), and an optional window: {@code not-before} (it signs from then on; it is
 * published as soon as it is configured) and {@code retire-after} (from then on it is neither used nor published).
 * See docs/configuration.md for the rotation recipe.
 */
@ConfigurationProperties("gatehouse.signing")
public class SigningProperties {

    /** The signing keys; replicas share them. Empty only with {@code generate-dev-key}. */
    private List<Key> keys = new ArrayList<>();

    /** Generate an in-memory key at startup. Development only: also on with the {@code dev} profile. */
    private boolean generateDevKey;

    /** How long an assertion is valid ({@code exp - iat}). */
    private Duration assertionTtl = Duration.ofMinutes(2);

    /**
     * A key that appears when the key files are re-read (no restart) and has no {@code not-before} of its own is
     * published at once and signs this much later, so every replica and every verifier's JWKS cache has it first.
     */
    private Duration publishAhead = Duration.ofMinutes(2);

    public Duration getPublishAhead() { return publishAhead; }
    public void setPublishAhead(Duration publishAhead) {
        if (publishAhead == null || publishAhead.isNegative()) {
            throw new IllegalArgumentException("gatehouse.signing.publish-ahead must be zero or positive");
        }
        this.publishAhead = publishAhead;
    }
    public List<Key> getKeys() { return keys; }
    public void setKeys(List<Key> keys) { this.keys = keys; }
    public boolean isGenerateDevKey() { return generateDevKey; }
    public void setGenerateDevKey(boolean generateDevKey) { this.generateDevKey = generateDevKey; }
    public Duration getAssertionTtl() { return assertionTtl; }
    public void setAssertionTtl(Duration assertionTtl) { this.assertionTtl = assertionTtl; }

    /** One key of {@code gatehouse.signing.keys[i]}. */
    public static class Key {
        private @Nullable String kid;
        private @Nullable Path path;
        /** {@code pem} or {@code pkcs12}; default: from the file name. */
        private @Nullable String format;
        /** PKCS#12 store (and key) password. */
        private @Nullable String password;
        /** PKCS#12 alias; default: the only key entry in the store. */
        private @Nullable String alias;
        private @Nullable Instant notBefore;
        private @Nullable Instant retireAfter;

        public @Nullable String getKid() { return kid; }
        public void setKid(@Nullable String kid) { this.kid = kid; }
        public @Nullable Path getPath() { return path; }
        public void setPath(@Nullable Path path) { this.path = path; }
        public @Nullable String getFormat() { return format; }
        public void setFormat(@Nullable String format) { this.format = format; }
        public @Nullable String getPassword() { return password; }
        public void setPassword(@Nullable String password) { this.password = password; }
        public @Nullable String getAlias() { return alias; }
        public void setAlias(@Nullable String alias) { this.alias = alias; }
        public @Nullable Instant getNotBefore() { return notBefore; }
        public void setNotBefore(@Nullable Instant notBefore) { this.notBefore = notBefore; }
        public @Nullable Instant getRetireAfter() { return retireAfter; }
        public void setRetireAfter(@Nullable Instant retireAfter) { this.retireAfter = retireAfter; }
    }
}
