package io.gatehouse.deviceinventory.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParseException;
import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/** Answers the integration tests cannot provoke with a healthy shared database. */
class ProblemHandlerTest {

    private final ProblemHandler handler = new ProblemHandler();

    @Test
    void storeUnavailableWhenNoConnectionThen503WithRetryAfter() {
        ResponseEntity<Object> r = handler.storeUnavailable(new CannotGetJdbcConnectionException("pool exhausted"));
        assertThat(r.getStatusCode().value()).isEqualTo(503);
        assertThat(r.getHeaders().getFirst("Retry-After")).isEqualTo("1");
        assertThat(((ProblemDetail) r.getBody()).getProperties()).containsEntry("code", "store-unavailable");
    }

    @Test
    void unexpectedWhenAnyExceptionThen500WithoutInternals() {
        ResponseEntity<Object> r = handler.unexpected(new IllegalStateException("secret detail"));
        assertThat(r.getStatusCode().value()).isEqualTo(500);
        assertThat(((ProblemDetail) r.getBody()).getDetail()).doesNotContain("secret detail");
    }

    @Test
    void fromJacksonWhenSyntaxErrorThenMalformedJson() {
        ApiProblem p = ProblemHandler.fromJackson(new JsonParseException(null, "Unexpected end-of-input"));
        assertThat(p.code()).isEqualTo("malformed-json");
        assertThat(p.status().value()).isEqualTo(400);
    }
}
