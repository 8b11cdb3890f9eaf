package io.gatehouse.gateway.login;

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
        String html = """
                <!doctype html>
                <html lang="en">
                <head><meta charset="utf-8"><title>%1$s</title>
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#222}
                code{background:#f3f3f3;padding:.1rem .3rem}</style></head>
                <body>
                  <h1>%1$s</h1>
                  <p>%2$s</p>
                  <p><a href="/">Start again</a></p>
                  <p>Request id: <code>%3$s</code></p>
                </body>
                </html>
                """.formatted(HtmlUtils.htmlEscape(title), HtmlUtils.htmlEscape(text), HtmlUtils.htmlEscape(requestId));
        return html.getBytes(StandardCharsets.UTF_8);
    }
}
