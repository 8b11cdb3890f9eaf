package io.gatehouse.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

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
import java.util.List;
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

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
