package io.gatehouse.gateway.decision;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.gateway.RequestContext;
import io.gatehouse.policy.Identity;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.HtmlUtils;
import reactor.core.publisher.Mono;

/**
 * Writes the gateway's own answers (docs/design.md, "Failure behaviour"): {@code application/problem+json} (RFC 9457)
 * with {@code request_id} and {@code reasons}, or, for a browser that asks for {@code text/html}, a small HTML page
 * with the same content. Reasons are the policy's human lines; they never contain a credential. The request id
 * is also in the {@code X-Request-Id} response header (set by RECORD).
 */
public final class Problems {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType PROBLEM = MediaType.APPLICATION_PROBLEM_JSON;

    private Problems() {
    }

    /** One answer: status, a short title, a sentence, the reasons (may be empty), the request id. */
    public record Problem(HttpStatus status, String type, String title, String detail, List<String> reasons,
                          String requestId, @Nullable String route) {
    }

    /** Problem JSON, or HTML when the client prefers text/html (a browser navigation). */
    public static Mono<Void> write(ServerWebExchange exchange, Problem problem) {
        return wantsHtml(exchange) ? writeHtml(exchange, problem) : writeJson(exchange, problem);
    }

    public static Mono<Void> writeJson(ServerWebExchange exchange, Problem problem) {
        return writeBody(exchange, problem.status(), PROBLEM, json(problem));
    }

    /** The problem+json bytes of {@code problem}. */
    public static byte[] json(Problem problem) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:gatehouse:problem:" + problem.type());
        body.put("title", problem.title());
        body.put("status", problem.status().value());
        body.put("detail", problem.detail());
        body.put("request_id", problem.requestId());
        if (problem.route() != null) {
            body.put("route", problem.route());
        }
        body.put("reasons", problem.reasons());
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a problem document", e);
        }
    }

    static Mono<Void> writeHtml(ServerWebExchange exchange, Problem problem) {
        StringBuilder items = new StringBuilder();
        for (String reason : problem.reasons()) {
            items.append("    <li>").append(HtmlUtils.htmlEscape(reason)).append("</li>\n");
        }
        String body = """
                  <p>%1$s</p>
                  <ul>
                %2$s  </ul>
                  <p>Request id: <code>%3$s</code> at <code>%4$s</code> &mdash; quote it when you ask for access.</p>
                %5$s""".formatted(HtmlUtils.htmlEscape(problem.detail()), items,
                HtmlUtils.htmlEscape(problem.requestId()), arrival(exchange), signedIn(exchange));
        return writeBody(exchange, problem.status(), new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8),
                HtmlPage.render(problem.title(), body));
    }

    /**
     * When the request arrived, to the second, as RECORD saw it (the decision-log line's timestamp, from the
     * gateway's clock), so what a user quotes matches the line; the current time only if RECORD never ran.
     */
    private static java.time.Instant arrival(ServerWebExchange exchange) {
        RequestContext context = RequestContext.find(exchange);
        java.time.Instant at = context == null ? null : context.startedAt();
        return (at != null ? at : java.time.Instant.now()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    /** "Signed in as ... Sign out" for a browser session; nothing for other callers. */
    private static String signedIn(ServerWebExchange exchange) {
        RequestContext context = RequestContext.find(exchange);
        if (context == null || context.identity() == null) {
            return "";
        }
        Identity who = context.identity();
        String name = who.email() != null ? who.email() : who.sub();
        String signOut = context.authKind() == RequestContext.AuthKind.SESSION
                ? " &middot; <a id=\"sign-out\" href=\"/.gatehouse/logout\">Sign out</a>" : "";
        return "  <p>Signed in as <strong id=\"signed-in-as\">" + HtmlUtils.htmlEscape(name) + "</strong>" + signOut
                + "</p>\n";
    }

    private static Mono<Void> writeBody(ServerWebExchange exchange, HttpStatus status, MediaType type, byte[] bytes) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(status);
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(type);
        headers.setContentLength(bytes.length);
        headers.setCacheControl("no-store");
        DataBuffer buffer = response.bufferFactory().wrap(bytes);
        return response.writeWith(Mono.just(buffer));
    }

    /** A browser navigation: Accept names text/html explicitly (a bare wildcard does not count). */
    static boolean wantsHtml(ServerWebExchange exchange) {
        try {
            return exchange.getRequest().getHeaders().getAccept().stream()
                    .anyMatch(t -> t.getType().equals("text") && t.getSubtype().equals("html"));
        } catch (RuntimeException malformedAccept) {
            return false;
        }
    }
}
