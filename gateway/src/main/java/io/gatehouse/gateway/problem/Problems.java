package io.gatehouse.gateway.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.gateway.RequestContext;
import io.gatehouse.policy.Identity;
import io.gatehouse.policy.Reason;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.HtmlUtils;
import reactor.core.publisher.Mono;

/**
 * The one writer of the gateway's own answers (docs/design.md, "Problem answers"): every refusal and failure that a
 * stage, a gateway endpoint or the error handler writes is {@code application/problem+json} (RFC 9457) built on
 * Spring's {@link ProblemDetail}, in one schema:
 * <pre>
 * {"type":"urn:gatehouse:problem:CODE","title":"...","status":403,"detail":"...",
 *  "code":"CODE","request_id":"...","route":"...","reasons":["..."]}
 * </pre>
 * {@code code} is the stable code (also the end of {@code type}); {@code route} is there only when a route was
 * decided; {@code reasons} is always there, possibly empty. A browser that asks for {@code text/html} gets a small HTML
 * page with the same content instead ({@link #write}). Reasons are human lines; they never contain a credential. The
 * request id is also in the {@code X-Request-Id} response header (set by RECORD).
 */
public final class Problems {

    /** What {@code type} starts with; the code follows. */
    public static final String TYPE_PREFIX = "urn:gatehouse:problem:";

    /** Spring's own mapper setup, which writes a {@link ProblemDetail}'s properties as top-level members. */
    private static final ObjectMapper JSON = Jackson2ObjectMapperBuilder.json().build();
    private static final MediaType PROBLEM = MediaType.APPLICATION_PROBLEM_JSON;

    private Problems() {
    }

    /**
     * One answer: status, the stable code, a short title, a sentence, the reasons (may be empty), the request id and
     * the decided route (null when none was).
     */
    public record Problem(HttpStatus status, String code, String title, String detail, List<String> reasons,
                          String requestId, @Nullable String route) {

        public Problem {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(detail, "detail");
            reasons = List.copyOf(reasons);
            Objects.requireNonNull(requestId, "requestId");
        }

        /**
         * A refusal for one {@link Reason} (hygiene, authentication): its code, the status's reason phrase as title,
         * its human line as detail and as the one reason.
         */
        public static Problem of(HttpStatus status, Reason why, String requestId, @Nullable String route) {
            return new Problem(status, why.code(), status.getReasonPhrase(), why.text(), List.of(why.text()),
                    requestId, route);
        }
    }

    /** Problem JSON, or HTML when the client prefers text/html (a browser navigation). */
    public static Mono<Void> write(ServerWebExchange exchange, Problem problem) {
        return wantsHtml(exchange) ? writeHtml(exchange, problem) : writeJson(exchange, problem);
    }

    /** Problem JSON whatever the client accepts; headers set before this call are kept. */
    public static Mono<Void> writeJson(ServerWebExchange exchange, Problem problem) {
        return writeBody(exchange, problem.status(), PROBLEM, json(problem));
    }

    /** The {@link ProblemDetail} of {@code problem}, in the schema above. */
    public static ProblemDetail detail(Problem problem) {
        ProblemDetail detail = ProblemDetail.forStatusAndDetail(problem.status(), problem.detail());
        detail.setType(URI.create(TYPE_PREFIX + problem.code()));
        detail.setTitle(problem.title());
        detail.setProperty("code", problem.code());
        detail.setProperty("request_id", problem.requestId());
        if (problem.route() != null) {
            detail.setProperty("route", problem.route());
        }
        detail.setProperty("reasons", problem.reasons());
        return detail;
    }

    /** The problem+json bytes of {@code problem}. */
    public static byte[] json(Problem problem) {
        try {
            return JSON.writeValueAsBytes(detail(problem));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a problem document", e);
        }
    }

    static Mono<Void> writeHtml(ServerWebExchange exchange, Problem problem) {
        Rendered page = render(problem, true, RequestContext.find(exchange));
        return writeBody(exchange, problem.status(), page.contentType(), page.body());
    }

    /** An answer's status, content type and body, for a transport that is not a {@link ServerWebExchange}. */
    public record Rendered(HttpStatus status, MediaType contentType, byte[] body) {
        public Rendered {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(body, "body");
        }
    }

    /**
     * {@code problem} as problem+json, or as the HTML page when {@code html} (a browser navigation); the page shows
     * when the request arrived and who is signed in, from {@code context} (null: now, nobody).
     */
    public static Rendered render(Problem problem, boolean html, @Nullable RequestContext context) {
        if (!html) {
            return new Rendered(problem.status(), PROBLEM, json(problem));
        }
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
                HtmlUtils.htmlEscape(problem.requestId()), arrival(context), signedIn(context));
        return new Rendered(problem.status(), new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8),
                HtmlPage.render(problem.title(), body));
    }

    /**
     * When the request arrived, to the second, as RECORD saw it (the decision-log line's timestamp, from the
     * gateway's clock), so what a user quotes matches the line; the current time only if RECORD never ran.
     */
    private static java.time.Instant arrival(@Nullable RequestContext context) {
        java.time.Instant at = context == null ? null : context.startedAt();
        return (at != null ? at : java.time.Instant.now()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    /** "Signed in as ... Sign out" for a browser session; nothing for other callers. */
    private static String signedIn(@Nullable RequestContext context) {
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
        return wantsHtml(exchange.getRequest().getHeaders());
    }

    /** As {@link #wantsHtml(ServerWebExchange)}, from a request's headers (a request another proxy describes). */
    public static boolean wantsHtml(HttpHeaders requestHeaders) {
        try {
            return requestHeaders.getAccept().stream()
                    .anyMatch(t -> t.getType().equals("text") && t.getSubtype().equals("html"));
        } catch (RuntimeException malformedAccept) {
            return false;
        }
    }
}
