package io.gatehouse.gateway.login;

import io.gatehouse.gateway.decision.HtmlPage;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.HtmlUtils;
import reactor.core.publisher.Mono;

/**
 * The small HTML pages of a login: sign-in unavailable (503, IdP down), sign-in failed or expired (400), signed out.
 * Every text is HTML-escaped; a page links only to the root of the same host, never to a URL from the request.
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

    private static byte[] html(String title, String text, String requestId) {
        String body = """
                  <p>%1$s</p>
                  <p><a href="/">Start again</a></p>
                  <p>Request id: <code>%2$s</code></p>
                """.formatted(HtmlUtils.htmlEscape(text), HtmlUtils.htmlEscape(requestId));
        return HtmlPage.render(title, body);
    }
}
