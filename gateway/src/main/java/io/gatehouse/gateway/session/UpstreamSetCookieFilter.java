package io.gatehouse.gateway.session;

import java.util.List;
import java.util.Locale;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * Removes, from an upstream's answer, every {@code Set-Cookie} that names one of the gateway's cookies (issue 16,
 * item 12): an app that could set {@code __Host-gatehouse} would plant a session id of an attacker's choosing in the
 * user's browser (session fixation) or wipe the user's session. Applied by Spring Cloud Gateway to the upstream's
 * headers only, before they are copied into the response, so the gateway's own {@code Set-Cookie} (written by
 * the AUTHENTICATE stage) is never touched. The name is compared as a browser would read it: trimmed, and without
 * regard to case (browsers match the {@code __Host-} prefix case-insensitively), against the prefix
 * {@code __Host-gatehouse}, so any cookie name the gateway uses now or later is covered. Other cookies pass.
 */
public final class UpstreamSetCookieFilter implements HttpHeadersFilter {

    private static final String OURS = SessionCookies.SESSION.toLowerCase(Locale.ROOT);

    @Override
    public HttpHeaders filter(HttpHeaders upstream, ServerWebExchange exchange) {
        List<String> cookies = upstream.get(HttpHeaders.SET_COOKIE);
        if (cookies == null || cookies.stream().noneMatch(UpstreamSetCookieFilter::namesOurs)) {
            return upstream;
        }
        HttpHeaders kept = new HttpHeaders();
        upstream.forEach((name, values) -> kept.addAll(name, values));
        kept.put(HttpHeaders.SET_COOKIE, cookies.stream().filter(c -> !namesOurs(c)).toList());
        if (kept.get(HttpHeaders.SET_COOKIE).isEmpty()) {
            kept.remove(HttpHeaders.SET_COOKIE);
        }
        return kept;
    }

    @Override
    public boolean supports(Type type) {
        return type == Type.RESPONSE;
    }

    /** True when the {@code Set-Cookie} value's cookie name starts with {@code __Host-gatehouse}, in any case. */
    static boolean namesOurs(String setCookie) {
        int eq = setCookie.indexOf('=');
        int semi = setCookie.indexOf(';');
        int end = eq < 0 ? (semi < 0 ? setCookie.length() : semi) : (semi >= 0 && semi < eq ? semi : eq);
        // A nameless cookie ("=v" or just "v") is named by its value in some browsers: check the whole pair too.
        String name = setCookie.substring(0, end).trim().toLowerCase(Locale.ROOT);
        String pair = setCookie.substring(0, semi < 0 ? setCookie.length() : semi).trim().toLowerCase(Locale.ROOT);
        return name.startsWith(OURS) || (name.isEmpty() && pair.replaceFirst("^=\\s*", "").startsWith(OURS));
    }
}
