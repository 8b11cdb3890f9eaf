package io.gatehouse.gateway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The one problem+json schema every gateway refusal and failure is written in (docs/design.md, "Problem answers"), as
 * an assertion for black-box tests: exactly the members {@code type}, {@code title}, {@code status}, {@code detail},
 * {@code code}, {@code request_id}, {@code reasons} and, when a route was decided, {@code route}, and when a refusing
 * rule has one, {@code remedies}; {@code type} is {@code urn:gatehouse:problem:} + {@code code}; {@code reasons} is a
 * list of strings, possibly empty; {@code remedies}, when there, a non-empty list of strings.
 */
public final class ProblemSchema {

    private static final Set<String> REQUIRED = Set.of("type", "title", "status", "detail", "code", "request_id",
            "reasons");

    private ProblemSchema() {
    }

    /** Asserts the schema on a response {@code body} with {@code contentType}, and its status, code and request id. */
    public static void assertProblem(String contentType, JsonNode body, int status, String code, String requestId) {
        assertThat(contentType).startsWith("application/problem+json");
        List<String> members = new ArrayList<>();
        body.fieldNames().forEachRemaining(members::add);
        assertThat(members).as(body.toString()).containsAll(REQUIRED);
        assertThat(members).as(body.toString())
                .allMatch(m -> REQUIRED.contains(m) || m.equals("route") || m.equals("remedies"));
        assertThat(body.path("status").isInt()).as(body.toString()).isTrue();
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("code").asText()).isEqualTo(code);
        assertThat(body.path("type").asText()).isEqualTo("urn:gatehouse:problem:" + code);
        assertThat(body.path("title").asText()).isNotBlank();
        assertThat(body.path("detail").asText()).isNotBlank();
        assertThat(body.path("request_id").asText()).isNotBlank().isEqualTo(requestId);
        assertThat(body.path("reasons").isArray()).as(body.toString()).isTrue();
        body.path("reasons").forEach(reason -> assertThat(reason.isTextual()).as(body.toString()).isTrue());
        if (body.has("remedies")) {
            assertThat(body.path("remedies").isArray() && !body.path("remedies").isEmpty()).as(body.toString())
                    .isTrue();
            body.path("remedies").forEach(r -> assertThat(r.isTextual()).as(body.toString()).isTrue());
        }
    }

    /** {@link #assertProblem(String, JsonNode, int, String, String)} on a {@link GatewayClient.Response}. */
    public static void assertProblem(GatewayClient.Response response, int status, String code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertProblem(String.valueOf(response.header("Content-Type")), response.json(), status, code,
                String.valueOf(response.header("X-Request-Id")));
    }
}
