package io.gatehouse.hello;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/** hello-app on a random port, behind a gateway double that serves a real JWKS on loopback. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HelloAppIT {
    static final String PUBLIC_HOST = "hello.corp.example";
    static final GatewayDouble GATEWAY = newGateway();

    @DynamicPropertySource
    static void gatehouse(DynamicPropertyRegistry registry) {
        registry.add("gatehouse.verifier.issuer", GATEWAY::issuer);
        registry.add("gatehouse.verifier.jwks-uri", () -> GATEWAY.issuer() + GatewayDouble.JWKS_PATH);
        registry.add("gatehouse.verifier.audience", () -> "hello");
        registry.add("gatehouse.verifier.public-host", () -> PUBLIC_HOST);
    }

    @AfterAll
    static void stopGateway() {
        GATEWAY.close();
    }

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void whoamiJsonWhenAssertionValidThenShowsIdentityDeviceAndLifetime() throws Exception {
        HttpResponse<String> response = get("/whoami.json", GATEWAY.assertion("hello", "GET", PUBLIC_HOST, "/whoami.json", Instant.now()));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
        JsonNode me = new ObjectMapper().readTree(response.body());
        assertThat(me.get("subject").asText()).isEqualTo("u-17");
        assertThat(me.get("email").asText()).isEqualTo("pat@corp.example");
        assertThat(me.get("groups").get(0).asText()).isEqualTo("finance");
        assertThat(me.get("device").get("trust").asText()).isEqualTo("high");
        assertThat(me.get("remaining_seconds").asLong()).isBetween(100L, 120L);
        assertThat(me.get("claims").get("http").get("path").asText()).isEqualTo("/whoami.json");
    }

    @Test
    void pageWhenAssertionValidThenShowsWhoYouAreEscaped() throws Exception {
        HttpResponse<String> response = get("/", GATEWAY.assertion("hello", "GET", PUBLIC_HOST, "/", Instant.now()));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(response.body()).contains("<h1>Who you are</h1>", "pat@corp.example", "dev-42", "<strong>high</strong>",
                "&lt;script&gt;").doesNotContain("<li><script>");
    }

    @Test
    void pageWhenHeaderMissingThen401WithClearMessage() throws Exception {
        HttpResponse<String> response = get("/", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("no X-Gatehouse-Assertion header", "only requests that come through the Gatehouse gateway");
        assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void pageWhenAssertionForAnotherAudienceThen401WithReason() throws Exception {
        HttpResponse<String> response = get("/", GATEWAY.assertion("payroll", "GET", PUBLIC_HOST, "/", Instant.now()));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("wrong-audience");
    }

    @Test
    void pageWhenAssertionExpiredThen401WithReason() throws Exception {
        HttpResponse<String> response = get("/", GATEWAY.assertion("hello", "GET", PUBLIC_HOST, "/", Instant.now().minusSeconds(600)));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("GatehouseAssertion error=\"expired\"");
    }

    @Test
    void healthWhenNoAssertionThenUp() throws Exception {
        assertThat(get("/actuator/health", null).body()).contains("\"UP\"");
    }

    private HttpResponse<String> get(String path, String assertion) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (assertion != null) {
            request.header("X-Gatehouse-Assertion", assertion);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static GatewayDouble newGateway() {
        try {
            return new GatewayDouble();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
