package io.gatehouse.gateway.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.gateway.RequestContext;
import io.gatehouse.gateway.exchange.TrustedProxies;
import io.gatehouse.testsupport.DevPki;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Where the device certificate comes from: the TLS session, or a trusted proxy's header validated against the
 * device CA; never a header from anyone else. The posture client here has no inventory URL, so every presented
 * device is unknown with a note, which is enough to see which fingerprint was looked up.
 */
class DeviceStepTest {

    @TempDir
    static Path dir;
    static DevPki pki;
    static DevPki otherPki;
    static DevPki.Issued laptop;
    static DevPki.Issued stranger;

    private final AtomicBoolean chained = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicReference<org.springframework.web.server.ServerWebExchange> passed =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final WebFilterChain chain = exchange -> {
        chained.set(true);
        passed.set(exchange);
        return Mono.empty();
    };
    private DeviceStep filter;

    @BeforeAll
    static void pki() {
        pki = DevPki.create(dir.resolve("pki"));
        otherPki = DevPki.create(dir.resolve("other"), "someone-else");
        laptop = pki.issueDevice("laptop-1");
        stranger = otherPki.issueDevice("laptop-2");
    }

    @org.junit.jupiter.api.BeforeEach
    void filter() {
        var properties = new InventoryProperties(null, null, null, null, null, null, null, null);
        var postures = new PostureClient(WebClient.create(), properties, null,
                CircuitBreaker.of("t", DeviceConfiguration.defaultBreaker()), new SimpleMeterRegistry());
        filter = new DeviceStep(postures, ClientCertificates.fromDeviceCa(pki.caPem().toString()),
                new TrustedProxies(List.of("10.0.0.0/8")), "X-Forwarded-Client-Cert");
    }

    @Test
    void filterWhenNoCertificateThenNoDevice() {
        MockServerWebExchange exchange = exchange(MockServerHttpRequest.get("https://a.example/"));

        filter.filter(exchange, chain).block();

        assertThat(chained).isTrue();
        assertThat(RequestContext.of(exchange).device()).isNull();
    }

    @Test
    void filterWhenTlsCertificateThenItsFingerprintIsLookedUp() {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("https://a.example/");
        request.sslInfo(ssl(laptop.certificate()));
        MockServerWebExchange exchange = exchange(request);

        filter.filter(exchange, chain).block();

        RequestContext context = RequestContext.of(exchange);
        assertThat(context.certificateSha256()).isEqualTo(laptop.sha256())
                .isEqualTo(ClientCertificates.sha256Hex(laptop.certificate())).matches("[0-9a-f]{64}");
        assertThat(context.device().known()).isFalse();
        assertThat(context.deviceNotes()).extracting(r -> r.code()).containsExactly("device-inventory-unreachable");
        assertThat(chained).isTrue();
    }

    @Test
    void filterWhenForwardedCertificateFromUntrustedPeerThenIgnored() throws Exception {
        MockServerWebExchange exchange = exchange(MockServerHttpRequest.get("https://a.example/")
                .header("X-Forwarded-Client-Cert", urlEncodedPem(laptop))
                .remoteAddress(new InetSocketAddress("203.0.113.9", 4000)));

        filter.filter(exchange, chain).block();

        assertThat(RequestContext.of(exchange).device()).isNull();
    }

    @Test
    void filterWhenForwardedCertificateFromTrustedProxyThenValidatedAndLookedUp() throws Exception {
        MockServerWebExchange exchange = exchange(MockServerHttpRequest.get("https://a.example/")
                .header("X-Forwarded-Client-Cert", urlEncodedPem(laptop))
                .remoteAddress(new InetSocketAddress("10.1.1.1", 4000)));

        filter.filter(exchange, chain).block();

        assertThat(RequestContext.of(exchange).certificateSha256()).isEqualTo(laptop.sha256());
        assertThat(passed.get().getRequest().getHeaders().containsKey("X-Forwarded-Client-Cert")).isFalse();
    }

    @Test
    void filterWhenEnvoyStyleHeaderFromTrustedProxyThenCertElementUsed() throws Exception {
        String xfcc = "By=spiffe://cluster/gatehouse;Hash=abc;Cert=\"" + urlEncodedPem(laptop) + "\";Subject=\"CN=x\"";
        MockServerWebExchange exchange = exchange(MockServerHttpRequest.get("https://a.example/")
                .header("X-Forwarded-Client-Cert", xfcc)
                .remoteAddress(new InetSocketAddress("10.1.1.1", 4000)));

        filter.filter(exchange, chain).block();

        assertThat(RequestContext.of(exchange).certificateSha256()).isEqualTo(laptop.sha256());
    }

    @Test
    void filterWhenForwardedCertificateFromAnotherCaThenUnknownWithReason() throws Exception {
        MockServerWebExchange exchange = exchange(MockServerHttpRequest.get("https://a.example/")
                .header("X-Forwarded-Client-Cert", urlEncodedPem(stranger))
                .remoteAddress(new InetSocketAddress("10.1.1.1", 4000)));

        filter.filter(exchange, chain).block();

        RequestContext context = RequestContext.of(exchange);
        assertThat(context.certificateSha256()).isNotEqualTo(stranger.sha256());
        assertThat(context.device().known()).isFalse();
        assertThat(context.deviceNotes()).extracting(r -> r.code()).containsExactly("device-certificate-invalid");
        assertThat(chained).isTrue();
    }

    @Test
    void filterWhenForwardedHeaderIsGarbageThenUnknownWithReason() {
        MockServerWebExchange exchange = exchange(MockServerHttpRequest.get("https://a.example/")
                .header("X-Forwarded-Client-Cert", "not-a-certificate")
                .remoteAddress(new InetSocketAddress("10.1.1.1", 4000)));

        filter.filter(exchange, chain).block();

        assertThat(RequestContext.of(exchange).deviceNotes()).extracting(r -> r.code())
                .containsExactly("device-certificate-invalid");
    }

    private static String urlEncodedPem(DevPki.Issued issued) throws Exception {
        return URLEncoder.encode(Files.readString(issued.certificatePem()), StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    private static SslInfo ssl(X509Certificate certificate) {
        return new SslInfo() {
            @Override
            public String getSessionId() {
                return "s";
            }

            @Override
            public X509Certificate[] getPeerCertificates() {
                return new X509Certificate[] {certificate};
            }
        };
    }

    private static MockServerWebExchange exchange(MockServerHttpRequest.BaseBuilder<?> request) {
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        RequestContext.attach(exchange, new RequestContext("req-1", System.nanoTime()));
        return exchange;
    }
}
