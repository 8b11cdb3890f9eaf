package io.gatehouse.gateway.authn;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64URL;
import io.gatehouse.testsupport.TestIssuer;
import io.gatehouse.policy.Identity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Bearer validation against a real signing issuer: the allow-list, and each forgery the anchors warned about. The
 * refusals are rows of one table ({@link #refusals()}): a token and the words its refusal must give.
 */
class BearerAuthenticatorIT {

    private static final String GATEHOUSE_ISSUER = "https://gatehouse.corp.example";
    private static TestIssuer idp;
    private static TestIssuer other;
    private static TestIssuer rsOnly;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private BearerAuthenticator authenticator;

    @BeforeAll
    static void startIssuers() {
        idp = TestIssuer.start();
        other = TestIssuer.start();
        rsOnly = TestIssuer.start();
    }

    @AfterAll
    static void stopIssuers() {
        idp.close();
        other.close();
        rsOnly.close();
    }

    @org.junit.jupiter.api.BeforeEach
    void authenticator() {
        Clock clock = Clock.systemUTC();
        var client = AuthnConfiguration.issuerWebClient();
        authenticator = new BearerAuthenticator(List.of(
                new IssuerVerifier(new BearerProperties.Issuer(idp.issuer(), List.of(TestIssuer.AUDIENCE), null, null),
                        Duration.ofSeconds(30), clock, client),
                new IssuerVerifier(new BearerProperties.Issuer(other.issuer(), List.of("other-aud"), "roles", null),
                        Duration.ofSeconds(30), clock, client),
                new IssuerVerifier(new BearerProperties.Issuer(rsOnly.issuer(), List.of(TestIssuer.AUDIENCE), null,
                        List.of("RS256")), Duration.ofSeconds(30), clock, client)),
                GATEHOUSE_ISSUER, clock, 100, meters);
    }

    @org.junit.jupiter.api.AfterEach
    void closeAuthenticator() {
        authenticator.close();
    }

    @Test
    void authenticateWhenValidRs256ThenIdentityFromClaims() {
        Identity who = authenticator.authenticate(idp.rs256(c -> c.claim("department", "payroll"))).block();

        assertThat(who.sub()).isEqualTo("u-17");
        assertThat(who.email()).isEqualTo("pat@corp.example");
        assertThat(who.groups()).containsExactly("finance", "staff");
        assertThat(who.authTime()).isBefore(Instant.now());
        assertThat(who.claims()).containsEntry("department", List.of("payroll"));
    }

    @Test
    void authenticateWhenValidEs256ThenIdentity() {
        assertThat(authenticator.authenticate(idp.es256(c -> { })).block().sub()).isEqualTo("u-17");
    }

    @Test
    void authenticateWhenGroupsClaimConfiguredThenGroupsFromIt() {
        Identity who = authenticator.authenticate(other.rs256(c -> c.audience("other-aud")
                .claim("roles", List.of("admin")))).block();

        assertThat(who.groups()).containsExactly("admin");
    }

    @Test
    void authenticateWhenNoAuthorizationHeaderThenEmpty() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("https://a.example/"));

        assertThat(authenticator.authenticate(exchange).hasElement().block()).isFalse();
    }

    @Test
    void authenticateWhenOtherSchemeThenEmpty() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("https://a.example/")
                .header("Authorization", "Basic dTpw"));

        assertThat(authenticator.authenticate(exchange).hasElement().block()).isFalse();
    }

    @Test
    void authenticateWhenBearerHeaderThenVerified() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("https://a.example/")
                .header("Authorization", "bearer " + idp.rs256(c -> { })));

        assertThat(authenticator.authenticate(exchange).block().sub()).isEqualTo("u-17");
    }

    @Test
    void authenticateWhenEmptyBearerThenError() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("https://a.example/")
                .header("Authorization", "Bearer "));

        assertRejected(authenticator.authenticate(exchange), "empty");
    }

    @Test
    void authenticateWhenExpiredWithinSkewThenAccepted() {
        assertThat(authenticator.authenticate(idp.rs256(c -> c.issueTime(ago(120)).expirationTime(ago(20)))).block()).isNotNull();
    }

    /** One way a bearer token must be refused, and the words the refusal must give. */
    private record Refusal(String name, TokenMaker token, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Makes the token when the row runs (the issuers start in {@link #startIssuers()}). */
    @FunctionalInterface
    private interface TokenMaker {
        String make() throws Exception;
    }

    /** Every forgery the anchors warned about and every claim the allow-list refuses: one row each. */
    static List<Refusal> refusals() {
        return List.of(
                new Refusal("expired beyond the 30 s skew",
                        () -> idp.rs256(c -> c.issueTime(ago(120)).expirationTime(ago(31))), "expired"),
                new Refusal("not valid before a time beyond the skew",
                        () -> idp.rs256(c -> c.notBeforeTime(ago(-60))), "not valid before"),
                new Refusal("no exp", () -> idp.rs256(c -> c.expirationTime(null)), "exp is missing"),
                new Refusal("another audience", () -> idp.rs256(c -> c.audience("payroll")), "aud [payroll]"),
                new Refusal("no audience", () -> idp.rs256(c -> c.audience((String) null)), "aud is missing"),
                new Refusal("the audience of another issuer", () -> idp.rs256(c -> c.audience("other-aud")),
                        "names none of"),
                new Refusal("an unknown issuer", () -> idp.rs256(c -> c.issuer("https://evil.example")),
                        "not a configured bearer issuer"),
                new Refusal("no issuer", () -> idp.rs256(c -> c.issuer(null)), "iss is missing"),
                new Refusal("one issuer's token claiming another issuer",
                        () -> other.rs256(c -> c.issuer(idp.issuer())), "no matching key"),
                new Refusal("signed by a key not in the JWKS under a kid that is",
                        () -> idp.sign(JWSAlgorithm.RS256, idp.attackerKey(JWSAlgorithm.RS256), h -> { }, c -> { }),
                        "Invalid signature"),
                new Refusal("a jwk header embedding the attacker's key", () -> {
                    JWK attacker = idp.attackerKey(JWSAlgorithm.ES256);
                    return idp.sign(JWSAlgorithm.ES256, attacker, h -> h.jwk(attacker.toPublicJWK()), c -> { });
                }, "names its own key"),
                new Refusal("a jku header pointing elsewhere",
                        () -> idp.sign(JWSAlgorithm.RS256, idp.attackerKey(JWSAlgorithm.RS256),
                                h -> h.jwkURL(URI.create("https://evil.example/jwks")), c -> { }),
                        "names its own key"),
                new Refusal("an x5u header",
                        () -> idp.sign(JWSAlgorithm.RS256, idp.rsaKey(),
                                h -> h.x509CertURL(URI.create("https://evil.example/c")), c -> { }),
                        "names its own key"),
                new Refusal("an algorithm the issuer is not pinned to", () -> rsOnly.es256(c -> { }),
                        "Unsupported algorithm of ES256"),
                new Refusal("alg none", () -> b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "."
                        + b64("{\"iss\":\"" + idp.issuer() + "\",\"sub\":\"u-17\",\"aud\":\"gatehouse\",\"exp\":"
                                + (Instant.now().getEpochSecond() + 300) + "}") + ".", "not signed"),
                new Refusal("HS256 signed with the issuer's public key", BearerAuthenticatorIT::hs256WithPublicKey,
                        "Unsupported algorithm of HS256"),
                new Refusal("an ECDSA signature of zeros", () -> {
                    String[] parts = idp.es256(c -> { }).split("\\.");
                    return parts[0] + "." + parts[1] + "." + Base64URL.encode(new byte[64]);
                }, "Invalid signature"),
                new Refusal("a token shaped like a Gatehouse assertion",
                        () -> idp.es256(c -> c.claim("http", Map.of("method", "GET", "host", "a", "path", "/"))),
                        "assertion is not a bearer credential"),
                new Refusal("a token issued by Gatehouse", () -> idp.es256(c -> c.issuer(GATEHOUSE_ISSUER)),
                        "assertion is not a bearer credential"),
                new Refusal("a typ header that is not JWT",
                        () -> idp.sign(JWSAlgorithm.ES256, idp.ecKey(),
                                h -> h.type(new JOSEObjectType("gatehouse-assertion+jwt")), c -> { }),
                        "typ"),
                new Refusal("not a JWT", () -> "not-a-token", "not a JWT"),
                new Refusal("a typ claim of the untyped keyword", () -> idp.rs256(c -> c.claim("typ", "untyped")),
                        "typ untyped is not an accepted token type"),
                new Refusal("a typ claim that is not a string", () -> idp.rs256(c -> c.claim("typ", 7)),
                        "the typ claim is not a string"),
                new Refusal("an ID token (c_hash)", () -> idp.es256(c -> c.claim("c_hash", "x")),
                        "an ID token is not an access token (it carries c_hash"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void authenticateWhenTokenInvalidOrForgedThenRefusedWithReason(Refusal row) throws Exception {
        assertRejected(authenticator.authenticate(row.token().make()), row.reason());
    }

    private static String hs256WithPublicKey() throws Exception {
        byte[] secret = idp.rsaKey().toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
        var jwt = new com.nimbusds.jwt.SignedJWT(new com.nimbusds.jose.JWSHeader.Builder(JWSAlgorithm.HS256)
                .keyID(idp.rsaKey().getKeyID()).build(),
                new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer(idp.issuer()).subject("u-17")
                        .audience(TestIssuer.AUDIENCE).expirationTime(ago(-300)).build());
        jwt.sign(new com.nimbusds.jose.crypto.MACSigner(new SecretKeySpec(secret, "HmacSHA256")));
        return jwt.serialize();
    }

    @Test
    void authenticateWhenIssuerIsHugeThenDescriptionStaysShort() {
        Throwable error = org.assertj.core.api.Assertions.catchThrowable(() ->
                authenticator.authenticate(idp.rs256(c -> c.issuer("https://x/" + "a".repeat(10_000)))).block());

        assertThat(((BearerAuthenticationException) error).reason().text()).hasSizeLessThan(210);
    }

    @Test
    void authenticateWhenSameTokenTwiceThenVerifiedOnce() {
        String token = idp.es256(c -> { });

        authenticator.authenticate(token).block();
        authenticator.authenticate(token).block();

        assertThat(meters.counter("gatehouse_bearer_verifications").count()).isEqualTo(1);
        assertThat(meters.counter("gatehouse_bearer_cache_hits").count()).isEqualTo(1);
    }

    @Test
    void constructorWhenBearerIssuerIsTheAssertionIssuerThenFails() {
        var verifier = new IssuerVerifier(new BearerProperties.Issuer(idp.issuer(), List.of("x"), null, null),
                Duration.ofSeconds(30), Clock.systemUTC(), AuthnConfiguration.issuerWebClient());
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new BearerAuthenticator(List.of(verifier), idp.issuer(), Clock.systemUTC(), 10,
                        meters))
                .withMessageContaining("assertion issuer");
    }

    /** An authenticator for {@link #idp} that accepts only the given token types. */
    private BearerAuthenticator onlyTypes(String... types) {
        authenticator.close();
        authenticator = new BearerAuthenticator(List.of(new IssuerVerifier(new BearerProperties.Issuer(idp.issuer(),
                List.of(TestIssuer.AUDIENCE), null, null, List.of(types), null), Duration.ofSeconds(30),
                Clock.systemUTC(), AuthnConfiguration.issuerWebClient())), GATEHOUSE_ISSUER, Clock.systemUTC(), 10,
                meters);
        return authenticator;
    }

    @Test
    void authenticateWhenIssuerAcceptsOnlyAtJwtThenBearerTypedAndUntypedTokensRejected() {
        BearerAuthenticator strict = onlyTypes("at+jwt");

        assertRejected(strict.authenticate(idp.rs256(c -> c.claim("typ", "Bearer"))),
                "typ Bearer is not an accepted token type [at+jwt]");
        assertRejected(strict.authenticate(idp.rs256(c -> { })), "the token has no typ");
        assertThat(strict.authenticate(idp.sign(JWSAlgorithm.RS256, idp.rsaKey(),
                h -> h.type(new JOSEObjectType("at+jwt")), c -> { })).block().sub()).isEqualTo("u-17");
    }

    @Test
    void authenticateWhenTypeListedInOtherCaseThenAccepted() {
        assertThat(onlyTypes("bearer").authenticate(idp.rs256(c -> c.claim("typ", "BEARER"))).block().sub())
                .isEqualTo("u-17");
    }

    @Test
    void authenticateWhenEmailVerifiedAsStringTrueThenVerified() {
        assertThat(authenticator.authenticate(idp.rs256(c -> c.claim("email_verified", "true"))).block()
                .emailVerified()).isTrue();
        assertThat(authenticator.authenticate(idp.rs256(c -> c.claim("email_verified", "yes"))).block()
                .emailVerified()).isFalse();
    }

    private static void assertRejected(Mono<Identity> result, String descriptionPart) {
        Throwable error = org.assertj.core.api.Assertions.catchThrowable(result::block);
        assertThat(error).isInstanceOf(BearerAuthenticationException.class);
        assertThat(((BearerAuthenticationException) error).reason().text()).contains(descriptionPart)
                .doesNotContain("eyJ");
        assertThat(((BearerAuthenticationException) error).reason().code()).isEqualTo("bearer-invalid-token");
    }

    private static Date ago(long seconds) {
        return Date.from(Instant.now().minusSeconds(seconds));
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
