package io.gatehouse.gateway.decisionservice.http;

import java.util.Objects;
import org.springframework.http.HttpHeaders;

/**
 * What the HTTP authz listener answers a check: the status, the headers and the body (possibly empty).
 * {@code loggedStatus} is the status the answer asks the proxy to give the client, for the decision log: the
 * verdict's own status (302 for a login even when nginx is told 401), so lines compare across dialects.
 */
public record AuthzAnswer(int status, HttpHeaders headers, byte[] body, int loggedStatus, String outcome) {
    public AuthzAnswer {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(outcome, "outcome");
    }
}
