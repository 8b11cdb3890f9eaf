package io.gatehouse.gateway.login;

import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Did the browser send this request from a page of the same origin (issue 16, item 11)? A state-changing endpoint
 * (logout) must not be triggered by another site: a link, a form or a script elsewhere. Browsers say where a request
 * comes from in {@code Sec-Fetch-Site} (which must be {@code same-origin}: {@code same-site} is a sibling host, a
 * different application) and in {@code Origin} (which must be exactly this origin). Every header sent must agree,
 * and at least one must be sent: a request that says nothing about its origin is refused, as is {@code Origin: null}
 * or a repeated header. When in doubt, deny.
 */
final class SameOrigin {

    private SameOrigin() {
    }

    /** True when the request proves it comes from {@code origin} ({@code scheme://host[:port]}). */
    static boolean test(ServerHttpRequest request, String origin) {
        HttpHeaders headers = request.getHeaders();
        List<String> site = headers.getOrEmpty("Sec-Fetch-Site");
        List<String> origins = headers.getOrEmpty(HttpHeaders.ORIGIN);
        if (site.size() > 1 || origins.size() > 1 || (site.isEmpty() && origins.isEmpty())) {
            return false;
        }
        if (!site.isEmpty() && !site.get(0).trim().toLowerCase(Locale.ROOT).equals("same-origin")) {
            return false;
        }
        return origins.isEmpty() || origins.get(0).trim().toLowerCase(Locale.ROOT).equals(origin.toLowerCase(Locale.ROOT));
    }
}
