package io.gatehouse.gateway.login;

import io.gatehouse.gateway.problem.HtmlPage;
import io.gatehouse.gateway.problem.Problems;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.HtmlUtils;
import reactor.core.publisher.Mono;

/**
 * The small HTML pages of a login: sign-in unavailable (503, IdP down), sign-in failed or expired (400), signed out,
 * the sign-out confirmation (a form that POSTs to {@code /.gatehouse/logout}; it may not be framed, so another site
 * cannot overlay it and steer the click), sign-out refused (403); and the 404 of a host that serves no route. Every
 * text is HTML-escaped; a page links only to the root of the same host, never to a URL from the request.
 */
final class LoginPages {

    private LoginPages() {
    }

    static Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String title, String text, String requestId) {
        byte[] bytes = html(title, text, requestId);
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(status);
        response.getHeaders().setContentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8));
        response.getHeaders().setContentLength(bytes.length);
        response.getHeaders().setCacheControl("no-store");
        return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
    }

    static Mono<ServerResponse> response(HttpStatus status, String title, String text, String requestId) {
        return ServerResponse.status(status).contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .header("Cache-Control", "no-store").bodyValue(html(title, text, requestId));
    }

    static Mono<ServerResponse> confirmLogout(String requestId) {
        String body = """
                  <p>Do you want to sign out?</p>
                  <form method="post" action="%1$s"><button type="submit" id="sign-out">Sign out</button></form>
                  <p><a href="/">Stay signed in</a></p>
                  <p>Request id: <code>%2$s</code></p>
                """.formatted(LoginRouter.LOGOUT, HtmlUtils.htmlEscape(requestId));
        return ServerResponse.ok().contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .header("Cache-Control", "no-store")
                .header("X-Frame-Options", "DENY")
                // No form-action: browsers apply it to the POST's redirect too, and that 303 goes to the IdP's
                // end_session_endpoint on another origin (Chromium then stays on this page).
                .header("Content-Security-Policy", "frame-ancestors 'none'")
                .bodyValue(HtmlPage.render("Sign out", body));
    }

    /** The answer of a login endpoint on a host that serves no route: as the reserved-path catch-all, no redirect. */
    static Mono<ServerResponse> notFound(String requestId) {
        byte[] body = Problems.json(new Problems.Problem(HttpStatus.NOT_FOUND, "reserved-path", "Not found",
                "This path is reserved for the gateway and serves nothing.", List.of(), requestId, null));
        return ServerResponse.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header("Cache-Control", "no-store").bodyValue(body);
    }

    private static byte[] html(String title, String text, String requestId) {
        String body = """
                  <p>%1$s</p>
                  <p><a href="/">Start again</a></p>
                  <p>Request id: <code>%2$s</code></p>
                """.formatted(HtmlUtils.htmlEscape(text), HtmlUtils.htmlEscape(requestId));
        return HtmlPage.render(title, body);
    }
}
