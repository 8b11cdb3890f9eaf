package io.gatehouse.gateway.assertion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatehouse.testsupport.EchoUpstream;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.gateway.testing.SecretVolume;
import io.gatehouse.verifier.GatehouseIdentity;
import io.gatehouse.verifier.GatehouseVerifier;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signing key file is replaced under a running gateway the way External Secrets + the kubelet do it (a symlink
 * swap of {@code ..data}): the JWKS publishes the new key at once, new assertions are signed with it, the old key
 * stays published for its overlap, and a broken file changes nothing but a failure counter.
 */
class SigningKeyReloadIT {

    @TempDir
    Path dir;

    private RunningGateway start(EchoUpstream upstream, SecretVolume secret) {
        return RunningGateway.builder(dir).config("""
                        routes:
                          - id: echo
                            from: https://localhost
                            to: %s
                            policy:
                              allow: [{name: anyone, public: true}]
                        """.formatted(upstream.uri()))
                .property("gatehouse.signing.keys[0].kid", null) // derived from the key: a new key is a new kid
                .property("gatehouse.signing.keys[0].path", secret.file("signing.pem"))
                .property("gatehouse.signing.publish-ahead", "1s")
                .property("gatehouse.key-watch.poll-interval", "200ms")
                .start();
    }

    private static JWKSet jwks(GatewayClient client) throws Exception {
        return JWKSet.parse(client.get("/.well-known/gatehouse/jwks.json").body());
    }

    private static List<String> kids(JWKSet set) {
        return set.getKeys().stream().map(JWK::getKeyID).toList();
    }

    private static String kidOfNextAssertion(GatewayClient client, EchoUpstream upstream, String path) throws Exception {
        assertThat(client.get(path).status()).isEqualTo(200);
        return SignedJWT.parse(upstream.last().header("X-Gatehouse-Assertion")).getHeader().getKeyID();
    }

    private static double metric(RunningGateway gateway, String name) throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                gateway.managementUri("/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? ([0-9.E+-]+)$").matcher(metrics.body());
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    @Test
    void signingWhenKeyFileSwappedThenJwksServesNewKidAndNewAssertionsVerifyWithIt() throws Exception {
        SecretVolume secret = SecretVolume.create(dir.resolve("signing"));
        Path keys = dir.resolve("keys");
        Files.createDirectories(keys);
        io.gatehouse.testsupport.DevPki pki = io.gatehouse.testsupport.DevPki.create(keys);
        secret.publishFiles(Map.of("signing.pem", pki.writeSigningKeyPem("old")));
        try (EchoUpstream upstream = EchoUpstream.start(); RunningGateway gateway = start(upstream, secret)) {
            GatewayClient client = gateway.client();
            String oldKid = kidOfNextAssertion(client, upstream, "/before");
            String beforeSwap = upstream.last().header("X-Gatehouse-Assertion");
            assertThat(kids(jwks(client))).containsExactly(oldKid);

            secret.publishFiles(Map.of("signing.pem", pki.writeSigningKeyPem("new")));

            // Published before it signs (publish-ahead), and the old key stays published for its overlap.
            await().atMost(Duration.ofSeconds(15)).until(() -> kids(jwks(client)).size() == 2);
            String newKid = kids(jwks(client)).stream().filter(k -> !k.equals(oldKid)).findFirst().orElseThrow();
            await().atMost(Duration.ofSeconds(15)).until(() -> kidOfNextAssertion(client, upstream, "/after").equals(newKid));

            for (GatewayClient c : List.of(client, client.http2())) {
                assertThat(kidOfNextAssertion(c, upstream, "/after")).isEqualTo(newKid);
                GatehouseVerifier verifier = GatehouseVerifier.builder(RunningGateway.ISSUER, "echo").jwks(jwks(c)).build();
                GatehouseIdentity who = verifier.verify(upstream.last().header("X-Gatehouse-Assertion"), "GET", "localhost", "/after");
                assertThat(who.subject()).isEqualTo("anonymous");
                // An assertion the old key signed before the swap still verifies against the JWKS served now.
                assertThat(verifier.verify(beforeSwap, "GET", "localhost", "/before").subject()).isEqualTo("anonymous");
            }
            assertThat(kids(jwks(client))).containsExactlyInAnyOrder(oldKid, newKid);
            assertThat(metric(gateway, "gatehouse_signing_keys_reloads_total")).isEqualTo(1.0);
            assertThat(metric(gateway, "gatehouse_signing_keys_reload_failures_total")).isZero();
        }
    }

    @Test
    void signingWhenKeyFileReplacedByGarbageThenOldKeyKeepsSigningAndFailureIsCounted() throws Exception {
        SecretVolume secret = SecretVolume.create(dir.resolve("signing"));
        Path keys = dir.resolve("keys");
        Files.createDirectories(keys);
        io.gatehouse.testsupport.DevPki pki = io.gatehouse.testsupport.DevPki.create(keys);
        Path good = pki.writeSigningKeyPem("good");
        secret.publishFiles(Map.of("signing.pem", good));
        try (EchoUpstream upstream = EchoUpstream.start(); RunningGateway gateway = start(upstream, secret)) {
            GatewayClient client = gateway.client();
            String kid = kidOfNextAssertion(client, upstream, "/before");
            String half = Files.readString(good).substring(0, 60); // a half-written PEM

            secret.publish(Map.of("signing.pem", half.getBytes(StandardCharsets.US_ASCII)));

            await().atMost(Duration.ofSeconds(15))
                    .until(() -> metric(gateway, "gatehouse_signing_keys_reload_failures_total") == 1.0);
            assertThat(kidOfNextAssertion(client, upstream, "/still")).isEqualTo(kid);
            assertThat(kids(jwks(client))).containsExactly(kid);
            assertThat(metric(gateway, "gatehouse_signing_keys_reloads_total")).isZero();

            // The failure is counted once per broken version, not once per look.
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> metric(gateway, "gatehouse_signing_keys_reload_failures_total") == 1.0);

            // Fixing the file takes effect without a restart.
            secret.publishFiles(Map.of("signing.pem", pki.writeSigningKeyPem("fixed")));
            await().atMost(Duration.ofSeconds(15)).until(() -> !kidOfNextAssertion(client, upstream, "/fixed").equals(kid));
        }
    }
}
