package io.gatehouse.gateway.decision;

import java.util.Locale;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Is this a top-level browser navigation, the only kind of request that may be redirected to the IdP (docs/design.md,
 * "Failure behaviour")? It must be a GET or HEAD without {@code Authorization} and without
 * {@code X-Requested-With}, whose {@code Sec-Fetch-Mode} (when sent) is {@code navigate}, and whose {@code Accept}
 * names {@code text/html}. Everything else (XHR, fetch, API clients) gets a 401 instead: a redirect to a login page
 * is useless to a script and would hide the real answer.
 */
public final class BrowserNavigation {

    private BrowserNavigation() {
    }

    public static boolean test(ServerHttpRequest request) {
        return test(request.getMethod().name(), request.getHeaders());
    }

    /** As {@link #test(ServerHttpRequest)}, for a request another proxy describes: its method and headers. */
    public static boolean test(String method, HttpHeaders headers) {
        if (!(HttpMethod.GET.name().equals(method) || HttpMethod.HEAD.name().equals(method))) {
            return false;
        }
        if (headers.containsKey(HttpHeaders.AUTHORIZATION) || headers.containsKey("X-Requested-With")) {
            return false;
        }
        String mode = headers.getFirst("Sec-Fetch-Mode");
        if (mode != null && !mode.toLowerCase(Locale.ROOT).equals("navigate")) {
            return false;
        }
        try {
            return headers.getAccept().stream()
                    .anyMatch(t -> t.getType().equals("text") && t.getSubtype().equals("html"));
        } catch (RuntimeException malformedAccept) {
            return false;
        }
    }
}
