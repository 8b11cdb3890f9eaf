package io.gatehouse.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Issue 16, item 12: an upstream cannot set the gateway's cookies. An app (compromised, or tricked into reflecting
 * a header) that answers {@code Set-Cookie: __Host-gatehouse=...} would plant a session id of the attacker's
 * choosing in the user's browser (session fixation) or wipe the user's session; the gateway removes every
 * {@code Set-Cookie} naming one of its cookies from upstream answers and passes the app's own cookies unchanged.
 */
class UpstreamCookieIT extends GatewayITSupport {

    private DisposableServer cookieSetter;

    @Override
    protected String config(URI ignoredEcho) {
        cookieSetter = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> response
                        .addHeader("Set-Cookie", "__Host-gatehouse=planted; Path=/; Secure; HttpOnly")
                        .addHeader("Set-Cookie", "__Host-gatehouse-login=planted; Path=/; Secure")
                        .addHeader("Set-Cookie", "__host-GATEHOUSE=planted; Path=/; Secure")
                        .addHeader("Set-Cookie", "__Host-gatehouse =planted; Path=/; Secure")
                        .addHeader("Set-Cookie", "app=1; Path=/; Secure")
                        .addHeader("Set-Cookie", "gatehouse-theme=dark; Path=/")
                        .sendString(reactor.core.publisher.Mono.just("ok")))
                .bindNow(Duration.ofSeconds(10));
        return """
                routes:
                  - id: app
                    from: https://localhost
                    to: http://127.0.0.1:%d
                    policy:
                      allow:
                        - name: anyone
                          public: true
                """.formatted(cookieSetter.port());
    }

    @AfterAll
    void stopCookieSetter() {
        cookieSetter.disposeNow();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void responseWhenUpstreamSetsGatewayCookiesThenOnlyTheAppsCookiesReachTheBrowser(boolean http2) {
        GatewayClient client = http2 ? client().http2() : client();

        GatewayClient.Response response = client.get("/x");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.protocol()).isEqualTo(http2 ? "HTTP/2.0" : "HTTP/1.1");
        List<String> cookies = response.headers().getOrDefault("set-cookie", List.of());
        assertThat(cookies).containsExactlyInAnyOrder("app=1; Path=/; Secure", "gatehouse-theme=dark; Path=/");
    }
}
