package io.gatehouse.gateway.assertion;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.impl.ECDSA;
import io.gatehouse.policy.DevicePosture;
import io.gatehouse.policy.Identity;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Mints the ES256 assertion for one allowed request (docs/design.md, "The assertion header"): {@code kid} in the
 * header, claims {@code iss}, {@code aud} (the route's audience, a single string), {@code sub}, {@code email},
 * {@code groups}, {@code iat}, {@code exp} (iat + ttl), {@code jti}, {@code http} {method, host, path} binding the
 * token to this request, and {@code device} {id, trust} when a device was presented. An anonymous request on a
 * {@code public} route gets {@code sub: "anonymous"}, {@code anonymous: true} and no email or groups: the flag, not
 * the subject, is what tells a backend that nobody signed in (an IdP may well have a user named "anonymous").
 * An email the IdP did not verify is left out, and {@code email_verified: false} says why.
 *
 * <p>The JWS is assembled here rather than through Nimbus's {@code SignedJWT}: the header is encoded once per key,
 * the payload is written by Jackson, and each thread keeps an initialised {@link Signature} per key; the DER signature
 * is transcoded to JOSE's R||S form by Nimbus. That keeps the cost near the signature itself (see docs/performance.md).
 *
 * <p>With a timer ({@code gatehouse_assertion_signing_seconds}), each signature is timed: the JSON payload, the
 * ES256 signature and its encoding, i.e. what {@code sign} adds to an allowed request besides building the claims.
 *
 * <p>Throws {@link IllegalStateException} when no key may sign now (all retired or not yet valid): the caller
 * fails closed.
 */
public final class AssertionSigner {

    /** The {@code sub} of an assertion for an anonymous request on a public route. */
    public static final String ANONYMOUS_SUBJECT = "anonymous";
    /** The claim that marks an assertion for an anonymous request; absent on every other assertion. */
    public static final String ANONYMOUS_CLAIM = "anonymous";

    private final Supplier<SigningKeys> keys;
    private final String issuer;
    private final Clock clock;
    private final @Nullable Provider provider;
    private final @Nullable Timer timer;
    /** The signers of one ring: replaced with the ring, so a reloaded key never signs with a cached old one. */
    private volatile Signers signers;

    private record Signers(SigningKeys ring, Map<String, KeySigner> byKid) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    public AssertionSigner(SigningKeys keys, String issuer, Clock clock, @Nullable Provider provider) {
        this(() -> keys, issuer, clock, provider);
        Objects.requireNonNull(keys, "keys");
    }

    /** Signs with whatever ring {@code keys} returns at each request (the key files may be reloaded). */
    public AssertionSigner(Supplier<SigningKeys> keys, String issuer, Clock clock, @Nullable Provider provider) {
        this(keys, issuer, clock, provider, null);
    }

    /** As above, each signature recorded in {@code timer} (no tags: one series, whatever the key or route). */
    public AssertionSigner(Supplier<SigningKeys> keys, String issuer, Clock clock, @Nullable Provider provider,
                           @Nullable Timer timer) {
        this.timer = timer;
        this.keys = Objects.requireNonNull(keys, "keys");
        this.signers = new Signers(keys.get(), new ConcurrentHashMap<>());
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.provider = provider;
    }

    /** The provider that signs: the name of ACCP or of the JDK's default. */
    public String providerName() {
        return provider == null ? "JDK default" : provider.getName();
    }

    public String issuer() {
        return issuer;
    }

    public Assertion sign(String audience, @Nullable Identity identity, @Nullable DevicePosture device,
                          String method, String host, String path) {
        Instant now = clock.instant();
        SigningKeys ring = keys.get();
        Signers current = signers;
        if (current.ring() != ring) {
            current = new Signers(ring, new ConcurrentHashMap<>());
            signers = current;
        }
        SigningKey key = ring.signingAt(now).orElseThrow(() -> new IllegalStateException(
                "no assertion signing key may sign at " + now + " (check gatehouse.signing.keys not-before/retire-after)"));
        String jti = newJti();
        Map<String, Object> http = new LinkedHashMap<>();
        http.put("method", method);
        http.put("host", host);
        http.put("path", path);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("aud", audience);
        if (identity != null) {
            claims.put("sub", identity.sub());
            if (identity.email() != null && identity.emailVerified()) {
                claims.put("email", identity.email());
            } else if (identity.email() != null) {
                // a backend that keys on the email must not be handed one the IdP never verified
                claims.put(Identity.EMAIL_VERIFIED_CLAIM, false);
            }
            claims.put("groups", identity.groups());
        } else {
            claims.put("sub", ANONYMOUS_SUBJECT);
            claims.put(ANONYMOUS_CLAIM, true);
        }
        long iat = now.getEpochSecond();
        claims.put("iat", iat);
        claims.put("exp", iat + ring.ttl().toSeconds());
        claims.put("jti", jti);
        claims.put("http", http);
        if (device != null) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("id", device.id());
            d.put("trust", device.trust().wireName());
            claims.put("device", d);
        }
        KeySigner signer = current.byKid().computeIfAbsent(key.kid(), kid -> new KeySigner(key, provider));
        long start = System.nanoTime();
        String jws = signer.sign(claims);
        if (timer != null) {
            timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
        return new Assertion(jws, jti, key.kid());
    }

    /** One key's encoded header and per-thread initialised signatures. */
    private static final class KeySigner {
        private final String headerPrefix;
        private final ThreadLocal<Signature> signature;

        KeySigner(SigningKey key, @Nullable Provider provider) {
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("alg", "ES256");
            header.put("typ", "JWT");
            header.put("kid", key.kid());
            try {
                this.headerPrefix = B64.encodeToString(JSON.writeValueAsBytes(header)) + ".";
                java.security.interfaces.ECPrivateKey privateKey = key.key().toECPrivateKey();
                this.signature = ThreadLocal.withInitial(() -> {
                    try {
                        Signature s = provider == null ? Signature.getInstance("SHA256withECDSA")
                                : Signature.getInstance("SHA256withECDSA", provider);
                        s.initSign(privateKey);
                        return s;
                    } catch (GeneralSecurityException e) {
                        throw new IllegalStateException("signing key " + key.kid() + " is not usable for ES256", e);
                    }
                });
            } catch (JsonProcessingException | JOSEException e) {
                throw new IllegalStateException("signing key " + key.kid() + " is not usable for ES256", e);
            }
        }

        String sign(Map<String, Object> claims) {
            try {
                String signingInput = headerPrefix + B64.encodeToString(JSON.writeValueAsBytes(claims));
                Signature s = signature.get();
                s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
                byte[] joseSignature = ECDSA.transcodeSignatureToConcat(s.sign(), 64);
                return signingInput + "." + B64.encodeToString(joseSignature);
            } catch (JsonProcessingException | GeneralSecurityException | JOSEException e) {
                signature.remove(); // a failed Signature may be left half-updated: this thread starts afresh next time
                throw new IllegalStateException("cannot sign the assertion", e);
            }
        }
    }

    /** 128 random bits, URL-safe; unpredictable is not needed (it is signed), unique is. */
    private static String newJti() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return B64.encodeToString(bytes);
    }
}
