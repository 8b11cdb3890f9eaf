package io.gatehouse.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.io.InputStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared fixtures' own promises, the ones the modules' tests lean on without checking them again. */
class TestSupportIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    @Test
    void devPkiWhenServerNamesGivenThenCertificateNamesThemAndLoopback() throws Exception {
        DevPki pki = DevPki.create(dir, "names", List.of("localhost", "*.localhost", "app.localhost"));

        assertThat(List.copyOf(pki.server().certificate().getSubjectAlternativeNames()))
                .<Object>map(name -> name.get(1))
                .containsExactly("localhost", "*.localhost", "app.localhost", "127.0.0.1");
        assertThat(Files.readString(pki.server().keyPem())).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void devPkiWhenNoNamesGivenThenLocalhostOnly() throws Exception {
        DevPki pki = DevPki.create(dir);

        assertThat(List.copyOf(pki.server().certificate().getSubjectAlternativeNames()))
                .<Object>map(name -> name.get(1)).containsExactly("localhost", "127.0.0.1");
    }

    @Test
    void jwksServerWhenPublishedThenServesPublicHalvesAndCountsUntilItFails() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        try (JwksServer jwks = JwksServer.start("/keys").publish(new JWKSet(key))) {
            HttpResponse<String> served = get(jwks.jwksUri());
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(JWKSet.parse(served.body()).getKeyByKeyId("k1").isPrivate()).isFalse();

            jwks.failWith(503);
            assertThat(get(jwks.jwksUri()).statusCode()).isEqualTo(503);
            assertThat(jwks.requests()).isEqualTo(2);
        }
    }

    @Test
    void testIssuerWhenKeyRotatedThenJwksServesTheNewKeyOnly() throws Exception {
        try (TestIssuer issuer = TestIssuer.start()) {
            String before = issuer.rsaKey().getKeyID();
            issuer.rotateRsaKey();

            JWKSet served = JWKSet.parse(get(issuer.jwksUri()).body());
            assertThat(served.getKeyByKeyId(before)).isNull();
            assertThat(served.getKeyByKeyId(issuer.rsaKey().getKeyID())).isNotNull();
            assertThat(issuer.jwksFetches()).isEqualTo(1);
        }
    }

    @Test
    void testIssuerWhenStoppedThenRefusesUntilResumedOnTheSamePortWithTheSameKeys() throws Exception {
        try (TestIssuer issuer = TestIssuer.start()) {
            String kid = issuer.rsaKey().getKeyID();
            issuer.stop();
            assertThatThrownBy(() -> get(issuer.jwksUri())).hasCauseInstanceOf(ConnectException.class);

            issuer.resume();

            assertThat(JWKSet.parse(get(issuer.jwksUri()).body()).getKeyByKeyId(kid)).isNotNull();
        }
    }

    @Test
    void testIssuerWhenSignInAtAuthorizeThenTheCodeRedeemsAtKeycloaksTokenEndpoint() throws Exception {
        try (TestIssuer issuer = TestIssuer.builder().issuer("https://idp.test/realms/test")
                .endpoints(TestIssuer.Endpoints.KEYCLOAK).signInAtAuthorize().start().client("app", "s3cret")) {
            // The issuer URL names a host the clients would map to the bound address: ask the bound port directly.
            URI base = URI.create("http://127.0.0.1:" + issuer.port());
            assertThat(issuer.tokenUri()).isEqualTo("https://idp.test/realms/test/protocol/openid-connect/token");

            HttpResponse<String> authorize = get(base.resolve("/realms/test/protocol/openid-connect/auth"
                    + "?redirect_uri=https%3A%2F%2Fapp.test%2Fcb&state=st%261&nonce=n-1"));
            assertThat(authorize.statusCode()).isEqualTo(302);
            String location = authorize.headers().firstValue("Location").orElseThrow();
            assertThat(location).startsWith("https://app.test/cb?code=").endsWith("&state=st%261");
            String code = location.substring("https://app.test/cb?code=".length(), location.indexOf("&state="));

            HttpResponse<String> token = post(base.resolve("/realms/test/protocol/openid-connect/token"), "app:s3cret",
                    "grant_type=authorization_code&code=" + code);
            assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
            String idToken = token.body().replaceAll(".*\"id_token\":\"([^\"]+)\".*", "$1");
            assertThat(SignedJWT.parse(idToken).getJWTClaimsSet().getStringClaim("nonce")).isEqualTo("n-1");
            assertThat(post(base.resolve("/realms/test/protocol/openid-connect/token"), "app:s3cret",
                    "grant_type=authorization_code&code=" + code).statusCode()).as("single use").isEqualTo(400);
        }
    }

    @Test
    void testIssuerWhenClientCredentialsThenAudienceAndLifetimeAsConfigured() throws Exception {
        try (TestIssuer issuer = TestIssuer.builder().clientCredentialsAudience("device-inventory")
                .tokenLifetime(Duration.ofHours(1)).start().client("svc", "pw")) {
            HttpResponse<String> token = post(URI.create(issuer.tokenUri()), "svc:pw",
                    "grant_type=client_credentials&scope=posture%3Aread");

            assertThat(token.statusCode()).isEqualTo(200);
            assertThat(token.body()).contains("\"expires_in\":3600");
            var claims = SignedJWT.parse(token.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1"))
                    .getJWTClaimsSet();
            assertThat(claims.getAudience()).containsExactly("device-inventory");
            assertThat(claims.getSubject()).isEqualTo("svc");
            assertThat(claims.getStringClaim("scope")).isEqualTo("posture:read");
            assertThat(claims.getClaim("email")).isNull();
            assertThat(post(URI.create(issuer.tokenUri()), "svc:wrong", "grant_type=client_credentials")
                    .statusCode()).isEqualTo(401);
        }
    }

    @Test
    void testIssuerWhenBoundWithTlsThenServesDiscoveryOverHttps() throws Exception {
        DevPki pki = DevPki.create(dir);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pki.server().pkcs12())) {
            keys.load(in, DevPki.PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, DevPki.PASSWORD.toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", pki.caCertificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);

        try (TestIssuer issuer = TestIssuer.builder().bind(new StubServer.Binding("127.0.0.1", 0, serverTls)).start()) {
            assertThat(issuer.issuer()).startsWith("https://127.0.0.1:");
            HttpClient https = HttpClient.newBuilder().sslContext(clientTls).connectTimeout(Duration.ofSeconds(2)).build();
            HttpResponse<String> discovery = https.send(HttpRequest.newBuilder(
                    URI.create(issuer.issuer() + "/.well-known/openid-configuration")).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(discovery.statusCode()).isEqualTo(200);
            assertThat(discovery.body()).contains("\"jwks_uri\":\"" + issuer.issuer() + "/jwks\"");
        }
    }

    @Test
    void echoUpstreamWhenPrettyThenIndentsAsABrowserShowsIt() throws Exception {
        try (EchoUpstream upstream = EchoUpstream.start().prettyJson()) {
            String body = get(upstream.uri().resolve("/reports/2026?quarter=q3")).body();

            assertThat(body).contains("\"path\" : \"/reports/2026\"").contains("\"query\" : \"quarter=q3\"");
            assertThat(upstream.last().path()).isEqualTo("/reports/2026");
        }
    }

    @Test
    void serviceProcessWhenTheJvmExitsThenFailsAtOnceWithItsOutput() throws Exception {
        Path notAJar = Files.writeString(dir.resolve("broken.jar"), "not a jar");
        ServiceProcess process = ServiceProcess.launch("broken", notAJar, dir.resolve("run"), List.of(), List.of(),
                URI.create("http://127.0.0.1:" + Processes.freePort() + "/health"));
        Instant start = Instant.now();

        assertThatIllegalStateException().isThrownBy(process::awaitReady)
                .withMessageContaining("broken did not become ready")
                .withMessageContaining("Error");
        // far below the three-minute bound: the exit is noticed, not waited out
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(60));
    }

    private HttpResponse<String> post(URI uri, String basic, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
