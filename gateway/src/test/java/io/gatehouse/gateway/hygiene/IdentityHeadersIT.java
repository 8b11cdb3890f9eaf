package io.gatehouse.gateway.hygiene;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testsupport.EchoUpstream;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 16, items 7 and 8, black-box: a client's method-override headers and other proxies' identity headers (plus
 * the configured {@code gatehouse.hygiene.strip-headers}) never reach the upstream, in any spelling of the name,
 * over HTTP/1.1 and HTTP/2. An app that honours {@code X-HTTP-Method-Override} cannot be made to DELETE by a request
 * that a {@code methods: [GET]} rule allowed, and a backend that trusted {@code X-Remote-User} never sees a client's.
 */
class IdentityHeadersIT extends GatewayITSupport {

    static final String[] METHOD_OVERRIDES = {"X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"};

    static final String[] IDENTITY = {"Remote-User", "X-Remote-User", "X-Remote-Group", "X-Remote-Extra-Scopes",
            "X-Auth-Request-User", "X-Auth-Request-Email", "X-Auth-Request-Groups",
            "X-Auth-Request-Preferred-Username", "X-Auth-Request-Access-Token", "X-Forwarded-User",
            "X-Forwarded-Email", "X-Forwarded-Groups", "X-Forwarded-Preferred-Username", "X-Forwarded-Access-Token",
            "X-WEBAUTH-USER", "X-Pomerium-Jwt-Assertion", "X-Pomerium-Claim-Email", "Cf-Access-Jwt-Assertion",
            "Cf-Access-Authenticated-User-Email", "X-Goog-Authenticated-User-Email", "X-Goog-Authenticated-User-Id",
            "X-Goog-Iap-Jwt-Assertion", "X-Amzn-Oidc-Data", "X-Amzn-Oidc-Identity", "X-Amzn-Oidc-Accesstoken",
            "X-Amzn-Mtls-Clientcert", "X-Ms-Client-Principal", "X-Ms-Client-Principal-Name",
            "X-Ms-Client-Principal-Id", "X-Ms-Token-Aad-Id-Token", "X-Arr-ClientCert", "SSL-Client-Cert",
            "SSL-Client-Verify", "SSL-Client-S-DN", "X-SSL-Client-Cert", "X-SSL-Client-Verify", "X-SSL-Client-S-DN",
            "X-Client-Cert", "X-Client-Cert-Chain", "X-Client-Verify", "X-Forwarded-Client-Cert",
            "X-Forwarded-Tls-Client-Cert", "X-Forwarded-Tls-Client-Cert-Info"};

    static final String[] CONFIGURED = {"X-Corp-User", "X-Legacy-Auth-Name", "X-Legacy-Auth-Roles"};

    @Override
    protected String config(URI upstreamUri) {
        return """
                routes:
                  - id: echo
                    from: https://localhost
                    to: %s
                    policy:
                      allow:
                        - name: readers
                          public: true
                          methods: [GET, HEAD]
                """.formatted(upstreamUri);
    }

    @Override
    protected void customize(RunningGateway.Builder builder) {
        builder.property("gatehouse.hygiene.strip-headers", "X-Corp-User, x-legacy-auth-*");
    }

    static Stream<Arguments> spellings() {
        return Stream.of(METHOD_OVERRIDES, IDENTITY, CONFIGURED)
                .flatMap(Stream::of)
                .flatMap(name -> Stream.of(name, name.toLowerCase(Locale.ROOT), name.toUpperCase(Locale.ROOT),
                        name.replace('-', '_')))
                .flatMap(name -> Stream.of(Arguments.of(name, false), Arguments.of(name, true)));
    }

    @ParameterizedTest(name = "{0} (http2: {1})")
    @MethodSource("spellings")
    void requestWhenClientSendsOtherProxysIdentityOrOverrideHeaderThenUpstreamNeverSeesIt(String name,
                                                                                         boolean http2) {
        GatewayClient client = http2 ? client().http2() : client();

        GatewayClient.Response response = client.get("/x", Map.of(name, "DELETE pat@corp.example",
                "Accept", "application/json"));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        EchoUpstream.Received seen = upstream.last();
        String folded = name.toLowerCase(Locale.ROOT);
        assertThat(seen.headers().keySet()).as(name)
                .noneMatch(h -> h.replace('_', '-').equals(folded.replace('_', '-')));
        assertThat(seen.headers().values()).as(name)
                .noneMatch(values -> values.contains("DELETE pat@corp.example"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Request-Id-Not", "X-Remote-Address-Book", "X-Client-Version", "Remote-Users-Count",
            "X-Authenticated"})
    void requestWhenOrdinaryHeaderThatOnlyLooksSimilarThenUpstreamSeesIt(String name) {
        GatewayClient.Response response = client().get("/x", Map.of(name, "kept"));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(upstream.last().header(name)).as(name).isEqualTo("kept");
    }
}
