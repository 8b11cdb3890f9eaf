package io.gatehouse.hello;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Without {@code public-host}, the assertion's http.host is compared with the Host the request arrived with. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HelloAppRequestHostIT {
    static final GatewayDouble GATEWAY = newGateway();

    @DynamicPropertySource
    static void gatehouse(DynamicPropertyRegistry registry) {
        registry.add("gatehouse.verifier.issuer", GATEWAY::issuer); // jwks-uri derived from it
        registry.add("gatehouse.verifier.audience", () -> "hello");
    }

    @AfterAll
    static void stopGateway() {
        GATEWAY.close();
    }

    @LocalServerPort
    int port;

    @Test
    void whoamiWhenHostMatchesRequestHostThen200ElseHostMismatch() throws Exception {
        String host = "127.0.0.1:" + port;

        assertThat(get(GATEWAY.assertion("hello", "GET", host, "/whoami.json", Instant.now())).statusCode()).isEqualTo(200);
        HttpResponse<String> other = get(GATEWAY.assertion("hello", "GET", "hello.corp.example", "/whoami.json", Instant.now()));
        assertThat(other.statusCode()).isEqualTo(401);
        assertThat(other.body()).contains("host-mismatch");
    }

    private HttpResponse<String> get(String assertion) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/whoami.json"))
                .header("X-Gatehouse-Assertion", assertion).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static GatewayDouble newGateway() {
        try {
            return new GatewayDouble();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
