package io.gatehouse.verifier;

import static io.gatehouse.verifier.TestTokens.AUDIENCE;
import static io.gatehouse.verifier.TestTokens.HOST;
import static io.gatehouse.verifier.TestTokens.ISSUER;
import static io.gatehouse.verifier.TestTokens.NOW;
import static io.gatehouse.verifier.TestTokens.claims;
import static io.gatehouse.verifier.TestTokens.claimsWith;
import static io.gatehouse.verifier.TestTokens.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class GatehouseVerifierTest {
    static final ECKey KEY = TestTokens.newKey("k-2026-11");
    static final ECKey NEXT_KEY = TestTokens.newKey("k-2026-12");
    static final ECKey ATTACKER = TestTokens.newKey("k-2026-11"); // same kid, different key

    final GatehouseVerifier verifier = GatehouseVerifier.builder(ISSUER, AUDIENCE)
            .jwks(TestTokens.publicSet(KEY, NEXT_KEY)).clock(TestTokens.CLOCK).build();

    static Stream<Arguments> forgedOrBroken() {
        return Stream.of(
                row("alg none", () -> unsigned("{\"alg\":\"none\",\"kid\":\"k-2026-11\"}"), RejectionReason.ALGORITHM_NOT_ALLOWED),
                row("alg NONE", () -> unsigned("{\"alg\":\"NONE\",\"kid\":\"k-2026-11\"}"), RejectionReason.ALGORITHM_NOT_ALLOWED),
                row("HS256 keyed with the public key's bytes", GatehouseVerifierTest::hmacWithPublicKey, RejectionReason.ALGORITHM_NOT_ALLOWED),
                row("RS256", GatehouseVerifierTest::rsaSigned, RejectionReason.ALGORITHM_NOT_ALLOWED),
                row("ES384 named in the header", () -> withHeader("{\"alg\":\"ES384\",\"kid\":\"k-2026-11\"}"), RejectionReason.ALGORITHM_NOT_ALLOWED),
                row("no alg", () -> withHeader("{\"kid\":\"k-2026-11\"}"), RejectionReason.MALFORMED),
                row("no kid", () -> withHeader("{\"alg\":\"ES256\"}"), RejectionReason.MALFORMED),
                row("unknown kid", () -> sign(TestTokens.newKey("k-rogue"), claims()), RejectionReason.UNKNOWN_KEY),
                row("embedded jwk of the attacker", GatehouseVerifierTest::embeddedJwk, RejectionReason.KEY_REFERENCE_NOT_ALLOWED),
                row("jku pointing elsewhere", () -> sign(ATTACKER, header().jwkURL(URI.create("https://evil.example/jwks")).build(), claims()),
                        RejectionReason.KEY_REFERENCE_NOT_ALLOWED),
                row("x5u pointing elsewhere", () -> sign(ATTACKER, header().x509CertURL(URI.create("https://evil.example/c.pem")).build(), claims()),
                        RejectionReason.KEY_REFERENCE_NOT_ALLOWED),
                row("crit extension", () -> withHeader("{\"alg\":\"ES256\",\"kid\":\"k-2026-11\",\"crit\":[\"exp\"]}"), RejectionReason.CRITICAL_HEADER),
                row("same kid signed by another key", () -> sign(ATTACKER, claims()), RejectionReason.BAD_SIGNATURE),
                row("expired", () -> sign(KEY, TestTokens.claims(NOW.minusSeconds(200), "GET", "/salaries")), RejectionReason.EXPIRED),
                row("issued in the future", () -> sign(KEY, TestTokens.claims(NOW.plusSeconds(90), "GET", "/salaries")), RejectionReason.NOT_YET_VALID),
                row("nbf in the future", () -> sign(KEY, claimsWith(c -> put(c, "nbf", NOW.plusSeconds(60).getEpochSecond()))), RejectionReason.NOT_YET_VALID),
                row("lifetime of a day", () -> sign(KEY, claimsWith(c -> put(c, "exp", NOW.plusSeconds(86400).getEpochSecond()))), RejectionReason.LIFETIME_TOO_LONG),
                row("wrong iss", () -> sign(KEY, claimsWith(c -> put(c, "iss", "https://evil.example"))), RejectionReason.WRONG_ISSUER),
                row("wrong aud", () -> sign(KEY, claimsWith(c -> put(c, "aud", "hr"))), RejectionReason.WRONG_AUDIENCE),
                row("aud array with ours among others", () -> sign(KEY, claimsWith(c -> put(c, "aud", List.of("hr", AUDIENCE)))), RejectionReason.WRONG_AUDIENCE),
                row("replay with another method", () -> sign(KEY, TestTokens.claims(NOW, "POST", "/salaries")), RejectionReason.METHOD_MISMATCH),
                row("replay on another path", () -> sign(KEY, TestTokens.claims(NOW, "GET", "/salaries/export")), RejectionReason.PATH_MISMATCH),
                row("replay on another host", () -> sign(KEY, claimsWith(c -> put(c, "http", Map.of("method", "GET", "host", "hr.corp.example", "path", "/salaries")))),
                        RejectionReason.HOST_MISMATCH),
                row("no http binding", () -> sign(KEY, claimsWith(c -> { c.remove("http"); return c; })), RejectionReason.MALFORMED),
                row("no sub", () -> sign(KEY, claimsWith(c -> { c.remove("sub"); return c; })), RejectionReason.MALFORMED),
                row("exp beyond year 9999", () -> sign(KEY, claimsWith(c -> put(c, "exp", 1e30))), RejectionReason.MALFORMED),
                row("exp a string", () -> sign(KEY, claimsWith(c -> put(c, "exp", "tomorrow"))), RejectionReason.MALFORMED),
                row("groups not an array", () -> sign(KEY, claimsWith(c -> put(c, "groups", "admins"))), RejectionReason.MALFORMED),
                row("tampered payload", GatehouseVerifierTest::tampered, RejectionReason.BAD_SIGNATURE),
                row("truncated signature", () -> { String t = sign(KEY, claims()); return t.substring(0, t.length() - 6); }, RejectionReason.BAD_SIGNATURE),
                row("signature cut off", () -> { String t = sign(KEY, claims()); return t.substring(0, t.lastIndexOf('.')); }, RejectionReason.MALFORMED),
                row("ECDSA signature of all zeros", GatehouseVerifierTest::zeroSignature, RejectionReason.BAD_SIGNATURE),
                row("non-JSON payload, validly signed", () -> TestTokens.signRaw(KEY, "{\"alg\":\"ES256\",\"kid\":\"k-2026-11\"}", "hello"), RejectionReason.MALFORMED),
                row("non-JSON header", () -> "bm90IGpzb24." + Base64URL.encode("{}") + ".AAAA", RejectionReason.MALFORMED),
                row("JWE-shaped, five parts", () -> "a.b.c.d.e", RejectionReason.MALFORMED),
                row("a space inside", () -> { String t = sign(KEY, claims()); return t.substring(0, 20) + " " + t.substring(20); },
                        RejectionReason.MALFORMED),
                row("padded base64", () -> { String t = sign(KEY, claims()); return t + "=="; }, RejectionReason.MALFORMED),
                row("not a token at all", () -> "Bearer hello", RejectionReason.MALFORMED),
                row("oversized", () -> sign(KEY, claimsWith(c -> put(c, "pad", "x".repeat(9000)))), RejectionReason.TOO_LARGE),
                row("empty", () -> "", RejectionReason.MISSING));
    }

    @ParameterizedTest(name = "{0} is rejected as {2}")
    @MethodSource("forgedOrBroken")
    void verifyWhenAssertionForgedOrBrokenThenRejectedWithReason(String name, Supplier<String> token, RejectionReason reason) {
        assertThatExceptionOfType(AssertionRejectedException.class)
                .isThrownBy(() -> verifier.verify(token.get(), "GET", HOST, "/salaries"))
                .satisfies(e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason))
                .withMessageStartingWith(reason.code() + ": ");
    }

    @Test
    void verifyWhenAssertionGoodThenIdentityHasEveryClaim() throws Exception {
        GatehouseIdentity id = verifier.verify(sign(KEY, claims()), "GET", HOST, "/salaries");

        assertThat(id.subject()).isEqualTo("u-17");
        assertThat(id.email()).isEqualTo("pat@corp.example");
        assertThat(id.groups()).containsExactly("finance", "staff");
        assertThat(id.device()).isEqualTo(new GatehouseIdentity.Device("dev-42", "high"));
        assertThat(id.jti()).isEqualTo("j-" + NOW.getEpochSecond());
        assertThat(id.expiresAt()).isEqualTo(NOW.plusSeconds(120));
        assertThat(id.remainingLifetime(TestTokens.CLOCK)).isEqualTo(Duration.ofSeconds(120));
        assertThat(id.claims()).containsEntry("aud", AUDIENCE).containsKey("http");
    }

    @Test
    void verifyWhenNoDeviceWasPresentedThenDeviceIsNull() throws Exception {
        GatehouseIdentity id = verifier.verify(sign(KEY, claimsWith(c -> { c.remove("device"); return c; })), "GET", HOST, "/salaries");

        assertThat(id.device()).isNull();
    }

    @Test
    void verifyWhenSignedByTheNextKeyDuringRotationThenBothKeysAccepted() throws Exception {
        assertThat(verifier.verify(sign(KEY, claims()), "GET", HOST, "/salaries").subject()).isEqualTo("u-17");
        assertThat(verifier.verify(sign(NEXT_KEY, claims()), "GET", HOST, "/salaries").subject()).isEqualTo("u-17");
    }

    @Test
    void verifyWhenExpiredWithinSkewThenAccepted() throws Exception {
        String token = sign(KEY, TestTokens.claims(NOW.minusSeconds(140), "GET", "/salaries")); // exp 20 s ago, skew 30 s

        assertThat(verifier.verify(token, "GET", HOST, "/salaries").subject()).isEqualTo("u-17");
    }

    @Test
    void verifyWhenHostDiffersOnlyInCaseThenAccepted() throws Exception {
        assertThat(verifier.verify(sign(KEY, claims()), "GET", "Payroll.Corp.Example", "/salaries").subject()).isEqualTo("u-17");
    }

    @Test
    void verifyWhenPublicHostConfiguredThenHttpHostComparedWithItNotTheRequestHost() throws Exception {
        GatehouseVerifier behindGateway = GatehouseVerifier.builder(ISSUER, AUDIENCE).publicHost(HOST)
                .jwks(TestTokens.publicSet(KEY)).clock(TestTokens.CLOCK).build();

        assertThat(behindGateway.verify(sign(KEY, claims()), "GET", "payroll.internal:8080", "/salaries").subject()).isEqualTo("u-17");
    }

    @Test
    void verifyWhenRequestHostNamesTheHttpsDefaultPortThenTheCanonicalBindingAccepted() throws Exception {
        assertThat(verifier.verify(sign(KEY, claims()), "GET", HOST.toUpperCase(Locale.ROOT) + ":443",
                "/salaries").subject()).isEqualTo("u-17");
    }

    @Test
    void verifyWhenPublicHostOrBindingNamesTheHttpsDefaultPortThenAccepted() throws Exception {
        GatehouseVerifier withPort = GatehouseVerifier.builder(ISSUER, AUDIENCE).publicHost(HOST + ":443")
                .jwks(TestTokens.publicSet(KEY)).clock(TestTokens.CLOCK).build();
        GatehouseVerifier withoutPort = GatehouseVerifier.builder(ISSUER, AUDIENCE).publicHost(HOST)
                .jwks(TestTokens.publicSet(KEY)).clock(TestTokens.CLOCK).build();
        String fromAnOlderGateway = sign(KEY, claimsWith(c -> put(c, "http",
                Map.of("method", "GET", "host", HOST + ":443", "path", "/salaries"))));

        assertThat(withPort.verify(sign(KEY, claims()), "GET", "payroll.internal:8080", "/salaries").subject())
                .isEqualTo("u-17");
        assertThat(withoutPort.verify(fromAnOlderGateway, "GET", "payroll.internal:8080", "/salaries").subject())
                .isEqualTo("u-17");
    }

    @Test
    void verifyWhenHostNamesAnotherPortThenRejected() {
        assertThatExceptionOfType(AssertionRejectedException.class)
                .isThrownBy(() -> verifier.verify(sign(KEY, claims()), "GET", HOST + ":8443", "/salaries"))
                .satisfies(e -> assertThat(e.reason()).isEqualTo(RejectionReason.HOST_MISMATCH));
    }

    @Test
    void verifyWhenPathDiffersOnlyInQueryOrEncodingThenRejected() {
        assertThatExceptionOfType(AssertionRejectedException.class)
                .isThrownBy(() -> verifier.verify(sign(KEY, claims()), "GET", HOST, "/%73alaries"))
                .satisfies(e -> assertThat(e.reason()).isEqualTo(RejectionReason.PATH_MISMATCH));
    }

    @Test
    void identityWhenBuiltThenClaimsCannotBeChanged() throws Exception {
        GatehouseIdentity id = verifier.verify(sign(KEY, claims()), "GET", HOST, "/salaries");

        assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> id.claims().put("sub", "admin"));
        @SuppressWarnings("unchecked")
        Map<String, Object> http = (Map<String, Object>) id.claims().get("http");
        assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> http.put("path", "/"));
    }

    private static Arguments row(String name, Supplier<String> token, RejectionReason reason) {
        return Arguments.of(name, token, reason);
    }

    private static Map<String, Object> put(Map<String, Object> claims, String name, Object value) {
        claims.put(name, value);
        return claims;
    }

    private static JWSHeader.Builder header() {
        return new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(KEY.getKeyID());
    }

    private static String payload() {
        return Base64URL.encode(JSONObjectUtils.toJSONString(claims())).toString();
    }

    private static String unsigned(String headerJson) {
        return Base64URL.encode(headerJson) + "." + payload() + ".";
    }

    private static String withHeader(String headerJson) {
        String good = sign(KEY, claims());
        return Base64URL.encode(headerJson) + good.substring(good.indexOf('.'));
    }

    private static String hmacWithPublicKey() {
        try {
            // The classic confusion attack: the verifier's public key used as an HMAC secret.
            JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(KEY.getKeyID()).build(), new Payload(claims()));
            jws.sign(new MACSigner(KEY.toECPublicKey().getEncoded()));
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rsaSigned() {
        try {
            RSAKey rsa = new RSAKeyGenerator(2048).keyID(KEY.getKeyID()).generate();
            JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY.getKeyID()).build(), new Payload(claims()));
            jws.sign(new RSASSASigner(rsa));
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String embeddedJwk() {
        return sign(ATTACKER, header().jwk(ATTACKER.toPublicJWK()).build(), claims());
    }

    private static String tampered() {
        String good = sign(KEY, claims());
        String[] parts = good.split("\\.");
        Map<String, Object> escalated = claimsWith(c -> put(c, "groups", List.of("finance", "payroll-admins")));
        return parts[0] + "." + Base64URL.encode(JSONObjectUtils.toJSONString(escalated)) + "." + parts[2];
    }

    private static String zeroSignature() {
        String good = sign(KEY, claims());
        byte[] zeros = new byte[64];
        Arrays.fill(zeros, (byte) 0);
        return good.substring(0, good.lastIndexOf('.') + 1) + Base64URL.encode(zeros);
    }
}
