package io.gatehouse.gateway.decisionservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link CheckRequests}: the facts of the request a {@code CheckRequest} describes, as Envoy sends them. */
class CheckRequestsTest {

    /** A check as Envoy sends it for {@code GET https://app.example/a/b?x=%2F&y=1} from 10.1.2.3. */
    static AttributeContext.HttpRequest.Builder http() {
        return AttributeContext.HttpRequest.newBuilder()
                .setId("1234").setMethod("GET").setScheme("https").setHost("App.Example:8443")
                .setPath("/a/b?x=%2F&y=1").setProtocol("HTTP/2")
                .putHeaders(":authority", "app.example:8443").putHeaders("accept", "text/html")
                .putHeaders("x-request-id", "envoy-req-1").putHeaders("cookie", "a=1; b=2");
    }

    static CheckRequest check(UnaryOperator<AttributeContext.HttpRequest.Builder> http,
                              UnaryOperator<AttributeContext.Peer.Builder> source) {
        AttributeContext.Peer.Builder peer = AttributeContext.Peer.newBuilder()
                .setAddress(Address.newBuilder().setSocketAddress(
                        SocketAddress.newBuilder().setAddress("10.1.2.3").setPortValue(50123)));
        return CheckRequest.newBuilder().setAttributes(AttributeContext.newBuilder()
                        .setSource(source.apply(peer))
                        .setRequest(AttributeContext.Request.newBuilder().setHttp(http.apply(http()))))
                .build();
    }

    static EnvoyCheck valid(CheckRequest request) {
        CheckRequests.Described described = CheckRequests.describe(request);
        assertThat(described).isInstanceOf(CheckRequests.Valid.class);
        return ((CheckRequests.Valid) described).check();
    }

    @Test
    void describeWhenEnvoyShapedThenEveryFact() {
        EnvoyCheck check = valid(check(h -> h, p -> p
                .setPrincipal("spiffe://cluster.local/ns/x/sa/client")
                .setCertificate("-----BEGIN%20CERTIFICATE-----%0AMIIB...%0A-----END%20CERTIFICATE-----%0A")));

        assertThat(check.method()).isEqualTo("GET");
        assertThat(check.scheme()).isEqualTo("https");
        assertThat(check.host()).isEqualTo("app.example:8443");
        assertThat(check.rawPath()).isEqualTo("/a/b");
        assertThat(check.rawQuery()).isEqualTo("x=%2F&y=1");
        assertThat(check.target()).isEqualTo("/a/b?x=%2F&y=1");
        assertThat(check.header("accept")).isEqualTo("text/html");
        assertThat(check.header("cookie")).isEqualTo("a=1; b=2");
        assertThat(check.sourceIp()).isEqualTo("10.1.2.3");
        assertThat(check.forwardedCertificate()).startsWith("-----BEGIN%20CERTIFICATE-----%0A");
        assertThat(check.proxyRequestId()).isEqualTo("envoy-req-1");
        assertThat(check.peerPrincipal()).isEqualTo("spiffe://cluster.local/ns/x/sa/client");
    }

    @Test
    void describeWhenNoSourceCertificateThenTheOneXfccCertificateIsTheDevice() {
        // Istio's ext_authz provider cannot include the peer certificate; its ingress gateway (SANITIZE_SET) sets
        // x-forwarded-client-cert from the certificate it verified instead.
        EnvoyCheck check = valid(check(h -> h.putHeaders("x-forwarded-client-cert",
                "Hash=ab12;Cert=\"-----BEGIN%20CERTIFICATE-----%0AMIIB...\";Subject=\"CN=pat-laptop\""), p -> p));

        assertThat(check.forwardedCertificate()).startsWith("Hash=ab12;Cert=");
    }

    @Test
    void describeWhenSourceCertificateAndXfccThenSourceCertificateWins() {
        EnvoyCheck check = valid(check(h -> h.putHeaders("x-forwarded-client-cert", "Cert=\"other\""),
                p -> p.setCertificate("-----BEGIN%20CERTIFICATE-----%0AMIIB")));

        assertThat(check.forwardedCertificate()).isEqualTo("-----BEGIN%20CERTIFICATE-----%0AMIIB");
    }

    @Test
    void describeWhenXfccNamesSeveralCertificatesThenInvalid() {
        // APPEND_FORWARD keeps what the client sent in front: which one the proxy verified cannot be told.
        CheckRequests.Described described = CheckRequests.describe(check(h -> h.putHeaders(
                "x-forwarded-client-cert", "Cert=\"spoofed\",Cert=\"verified\""), p -> p));

        assertThat(((CheckRequests.Invalid) described).message()).contains("x-forwarded-client-cert")
                .contains("2 certificates");
    }

    @Test
    void describeWhenPathHasNoQueryThenQueryIsNull() {
        assertThat(valid(check(h -> h.setPath("/only"), p -> p)).rawQuery()).isNull();
    }

    @Test
    void describeWhenPathEndsInQuestionMarkThenQueryIsEmpty() {
        assertThat(valid(check(h -> h.setPath("/p?"), p -> p)).rawQuery()).isEmpty();
    }

    @Test
    void describeWhenPathIsEncodedThenItIsNotDecoded() {
        // Hygiene judges the raw target; a decoded "/a/../admin" would hide what the client sent.
        assertThat(valid(check(h -> h.setPath("/a/%2e%2e/admin?q=a%20b"), p -> p)).rawPath())
                .isEqualTo("/a/%2e%2e/admin");
    }

    @Test
    void describeWhenHeaderMapIsSentThenItWinsWithRawValuesAndRepeatedNames() {
        EnvoyCheck check = valid(check(h -> h.clearHeaders().setHeaderMap(HeaderMap.newBuilder()
                .addHeaders(HeaderValue.newBuilder().setKey("Accept").setRawValue(ByteString.copyFromUtf8("text/html")))
                .addHeaders(HeaderValue.newBuilder().setKey("cookie").setRawValue(ByteString.copyFromUtf8("a=1")))
                .addHeaders(HeaderValue.newBuilder().setKey("cookie").setValue("b=2"))), p -> p));

        assertThat(check.headers()).containsEntry("accept", List.of("text/html"))
                .containsEntry("cookie", List.of("a=1", "b=2"));
    }

    @Test
    void describeWhenNoRequestIdHeaderThenHttpIdIsTheProxyRequestId() {
        assertThat(valid(check(h -> h.removeHeaders("x-request-id"), p -> p)).proxyRequestId()).isEqualTo("1234");
    }

    @Test
    void describeWhenNoSourceAddressThenInvalid() {
        CheckRequests.Described described = CheckRequests.describe(check(h -> h,
                AttributeContext.Peer.Builder::clearAddress));

        assertThat(((CheckRequests.Invalid) described).message())
                .isEqualTo("attributes.source.address has no socket address");
    }

    @Test
    void describeWhenPseudoHeadersThenLeftOutOfTheHeaders() {
        assertThat(valid(check(h -> h.putHeaders(":path", "/a/b").putHeaders(":method", "GET"), p -> p)).headers())
                .doesNotContainKeys(":authority", ":path", ":method");
    }

    @Test
    void describeWhenIpv6SourceWithZoneThenZoneIsDropped() {
        assertThat(valid(check(h -> h, p -> p.setAddress(Address.newBuilder().setSocketAddress(
                SocketAddress.newBuilder().setAddress("fe80::1%eth0"))))).sourceIp()).isEqualTo("fe80::1");
    }

    static Stream<Arguments> invalidFacts() {
        return Stream.of(
                Arguments.of("no method", (UnaryOperator<AttributeContext.HttpRequest.Builder>) h -> h.setMethod(""),
                        "attributes.request.http.method \"\""),
                Arguments.of("a method with a space", op(h -> h.setMethod("GET X")), "http.method \"GET X\""),
                Arguments.of("no scheme", op(h -> h.setScheme("")), "http.scheme \"\""),
                Arguments.of("a ftp scheme", op(h -> h.setScheme("ftp")), "http.scheme \"ftp\""),
                Arguments.of("no host", op(h -> h.setHost("")), "http.host \"\""),
                Arguments.of("a host with user info", op(h -> h.setHost("evil@app.example")), "http.host"),
                Arguments.of("a host with a path", op(h -> h.setHost("app.example/x")), "http.host"),
                Arguments.of("a host with a bad port", op(h -> h.setHost("app.example:99999")), "http.host"),
                Arguments.of("a host with an empty label", op(h -> h.setHost("app..example")), "http.host"),
                Arguments.of("no path", op(h -> h.setPath("")), "http.path \"\""),
                Arguments.of("an absolute-form path", op(h -> h.setPath("https://other.example/")), "http.path"),
                Arguments.of("an asterisk-form path", op(h -> h.setPath("*")), "http.path \"*\""),
                Arguments.of("a path with a space", op(h -> h.setPath("/a b")), "http.path \"/a b\""),
                Arguments.of("a path with a control character", op(h -> h.setPath("/a\u0001")),
                        "http.path \"/a\\u0001\""));
    }

    private static UnaryOperator<AttributeContext.HttpRequest.Builder> op(
            UnaryOperator<AttributeContext.HttpRequest.Builder> op) {
        return op;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFacts")
    void describeWhenFactIsMissingOrMalformedThenInvalidQuotingIt(String name,
            UnaryOperator<AttributeContext.HttpRequest.Builder> change, String quoted) {
        CheckRequests.Described described = CheckRequests.describe(check(change, p -> p));

        assertThat(described).isInstanceOf(CheckRequests.Invalid.class);
        assertThat(((CheckRequests.Invalid) described).message()).contains(quoted);
        assertThat(described.proxyRequestId()).isEqualTo("envoy-req-1");
    }

    @Test
    void describeWhenSourceAddressIsNotAnIpThenInvalid() {
        CheckRequests.Described described = CheckRequests.describe(check(h -> h, p -> p.setAddress(
                Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress("client.example")))));

        assertThat(described).isInstanceOf(CheckRequests.Invalid.class);
        assertThat(((CheckRequests.Invalid) described).message())
                .contains("attributes.source.address \"client.example\" is not an IP address");
    }

    @Test
    void describeWhenNoHttpAttributesThenInvalidNamingEachMissingFact() {
        CheckRequests.Described described = CheckRequests.describe(CheckRequest.getDefaultInstance());

        assertThat(((CheckRequests.Invalid) described).message())
                .contains("http.method").contains("http.scheme").contains("http.host").contains("http.path");
        assertThat(described.proxyRequestId()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"app.example", "app.example:443", "10.0.0.1:8443",
            "[::1]", "[::1]:8443", "a-b.c_d.example"})
    void isHostWhenWellFormedThenTrue(String host) {
        assertThat(CheckRequests.isHost(host)).isTrue();
    }

    @ParameterizedTest(name = "host \"{0}\"")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"", "[::1", "[::1]x", "[10.0.0.1]", "a:", ":80",
            "a:0", "-a.example", "a b", "a\\b"})
    void isHostWhenMalformedThenFalse(String host) {
        assertThat(CheckRequests.isHost(host)).isFalse();
    }
}
