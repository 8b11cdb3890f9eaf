package io.gatehouse.gateway.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.gateway.RequestContext;
import io.gatehouse.policy.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

class ProblemsTest {

    @Test
    void writeWhenBrowserDeniedThenPageShowsTheRequestsArrivalAsTheDecisionLogHasIt() {
        MockServerWebExchange exchange = MockServerWebExchange.from(
                MockServerHttpRequest.get("https://app.example/admin").header(HttpHeaders.ACCEPT, "text/html"));
        RequestContext.attach(exchange,
                new RequestContext("req-1", 0, Instant.parse("2001-02-03T04:05:06.789Z"), true));

        Problems.write(exchange, new Problems.Problem(HttpStatus.FORBIDDEN, "denied", "Access denied",
                "You may not open this page.", List.of("group admins needed"), "req-1", "app")).block();

        assertThat(exchange.getResponse().getHeaders().getContentType()).hasToString("text/html;charset=UTF-8");
        assertThat(exchange.getResponse().getBodyAsString().block())
                .contains("Request id: <code>req-1</code> at <code>2001-02-03T04:05:06Z</code>")
                .contains("<li>group admins needed</li>");
    }

    @Test
    void jsonWhenDecisionDenyThenOneSchemaWithCodeRouteAndReasons() {
        byte[] json = Problems.json(new Problems.Problem(HttpStatus.FORBIDDEN, "denied", "Access denied",
                "The access policy of app does not allow this request.", List.of("group admins needed"), "req-1",
                "app"));

        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"urn:gatehouse:problem:denied\","
                + "\"title\":\"Access denied\",\"status\":403,"
                + "\"detail\":\"The access policy of app does not allow this request.\",\"code\":\"denied\","
                + "\"request_id\":\"req-1\",\"route\":\"app\",\"reasons\":[\"group admins needed\"]}");
    }

    @Test
    void jsonWhenRefusedForOneReasonWithoutRouteThenNoRouteAndTheReasonIsTheDetail() {
        byte[] json = Problems.json(Problems.Problem.of(HttpStatus.BAD_REQUEST,
                new Reason("hygiene-encoded-slash", "encoded '/' in the path"), "req-2", null));

        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo(
                "{\"type\":\"urn:gatehouse:problem:hygiene-encoded-slash\",\"title\":\"Bad Request\",\"status\":400,"
                + "\"detail\":\"encoded '/' in the path\",\"code\":\"hygiene-encoded-slash\",\"request_id\":\"req-2\","
                + "\"reasons\":[\"encoded '/' in the path\"]}");
    }

    @Test
    void jsonWhenNoReasonsThenReasonsIsAnEmptyListNotLeftOut() {
        byte[] json = Problems.json(new Problems.Problem(HttpStatus.UNAUTHORIZED, "unauthenticated",
                "Authentication required", "Sign in.", List.of(), "req-3", "app"));

        assertThat(new String(json, StandardCharsets.UTF_8)).endsWith("\"route\":\"app\",\"reasons\":[]}");
    }
}
