package io.gatehouse.gateway.authn;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import io.gatehouse.gateway.login.OidcClient;
import io.gatehouse.gateway.login.OidcProperties;
import io.gatehouse.gateway.session.BrowserSessions;
import io.gatehouse.gateway.session.SessionFacts;
import io.gatehouse.gateway.session.SessionIndex;
import io.gatehouse.testsupport.TestIssuer;
import io.gatehouse.policy.Identity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.session.ReactiveMapSessionRepository;

/**
 * Issue 17: the same claims make the same {@link Identity}, whether they arrive as a bearer access token
 * ({@link BearerAuthenticator}, real JWKS) or as the ID token of a browser login ({@link OidcClient#redeem}, real
 * token endpoint, then stored in and read back from the session), so a {@code groups} or {@code claims:} rule judges a
 * user the same way by both. The one documented difference: an ID token without {@code email_verified} counts as
 * verified by default, a bearer token does not ({@code email-verified-required}: true for bearer issuers, false for
 * {@code gatehouse.oidc}); configured alike, they agree there too.
 */
class SameIdentityBySessionAndBearerIT {

    private static final String CLIENT = "gatehouse-web";
    private static TestIssuer idp;

    @BeforeAll
    static void start() {
        idp = TestIssuer.start().client(CLIENT, "secret");
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    private record Row(String name, Consumer<JWTClaimsSet.Builder> edits, String groupsClaim,
                       boolean sessionRequiresEmailVerified, boolean sameEmailVerified) {

        /** The row's claims, on top of the issuer's usual ones with one login time for both tokens. */
        Consumer<JWTClaimsSet.Builder> claims() {
            return c -> edits.accept(c.claim("auth_time", 1_765_000_000L));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                new Row("the issuer's usual claims", c -> { }, "groups", false, true),
                new Row("strings, numbers, booleans and lists of them", c -> c.claim("department", "payroll")
                        .claim("level", 7).claim("contractor", false)
                        .claim("projects", List.of("apollo", 12, true, Map.of("nested", "x"))), "groups", false, true),
                new Row("an object claim is left out", c -> c.claim("address", Map.of("city", "Zurich")),
                        "groups", false, true),
                new Row("groups as one string", c -> c.claim("groups", "finance"), "groups", false, true),
                new Row("groups in a configured claim", c -> c.claim("roles", List.of("admin", "ops")), "roles",
                        false, true),
                new Row("acr is kept, session_state is not", c -> c.claim("acr", "mfa")
                        .claim("session_state", "abc").claim("amr", List.of("pwd", "otp")), "groups", false, true),
                new Row("email_verified false", c -> c.claim("email_verified", false), "groups", false, true),
                new Row("email_verified as the string true", c -> c.claim("email_verified", "true"), "groups",
                        false, true),
                new Row("an email that is not a string", c -> c.claim("email", 42), "groups", false, true),
                new Row("no auth_time", c -> c.claim("auth_time", null), "groups", false, true),
                new Row("no email_verified, configured alike", c -> c.claim("email_verified", null), "groups", true,
                        true),
                new Row("no email_verified, each source's default", c -> c.claim("email_verified", null), "groups",
                        false, false))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void identityWhenSameClaimsBySessionAndByBearerThenSame(Row row) {
        Identity byBearer = byBearer(row);
        Identity bySession = bySession(row);
        if (row.sameEmailVerified()) {
            assertThat(bySession).isEqualTo(byBearer);
        } else {
            assertThat(byBearer.emailVerified()).as("bearer: absent email_verified").isFalse();
            assertThat(bySession.emailVerified()).as("session: absent email_verified").isTrue();
            assertThat(new Identity(bySession.sub(), bySession.email(), bySession.groups(), bySession.claims(),
                    bySession.authTime(), false)).isEqualTo(byBearer);
        }
        assertThat(byBearer.claims()).doesNotContainKeys("session_state", "nonce", "aud", "iss", row.groupsClaim());
    }

    private static Identity byBearer(Row row) {
        Clock clock = Clock.systemUTC();
        var issuer = new BearerProperties.Issuer(idp.issuer(), List.of(TestIssuer.AUDIENCE), row.groupsClaim(), null,
                null, null);
        try (var authenticator = new BearerAuthenticator(List.of(new IssuerVerifier(issuer, Duration.ofSeconds(30),
                clock, AuthnConfiguration.issuerWebClient())), null, clock, 10, new SimpleMeterRegistry())) {
            return authenticator.authenticate(idp.rs256(row.claims())).block(Duration.ofSeconds(10));
        }
    }

    private static Identity bySession(Row row) {
        var properties = new OidcProperties(idp.issuer(), CLIENT, "secret", null, null, null, null,
                row.groupsClaim(), row.sessionRequiresEmailVerified());
        OidcClient oidc = new OidcClient(properties, Clock.systemUTC());
        idp.idTokenClaims(row.claims());
        String nonce = UUID.randomUUID().toString();
        OidcClient.Login login = oidc.redeem(idp.authorize(nonce), URI.create("https://app.corp.example/cb"),
                "verifier-" + nonce, nonce).block(Duration.ofSeconds(10));
        BrowserSessions sessions = new BrowserSessions(new ReactiveMapSessionRepository(new ConcurrentHashMap<>()),
                new SessionIndex.InMemory(), Duration.ofHours(1));
        SessionFacts facts = new SessionFacts(login.identity(), null, login.refreshToken(), login.idToken(),
                login.accessExpiresAt(), login.accessExpiresAt().plusSeconds(3600));
        String id = sessions.create(facts).block(Duration.ofSeconds(10));
        return sessions.find(id).block(Duration.ofSeconds(10)).identity();
    }
}
