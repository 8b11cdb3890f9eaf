package io.gatehouse.gateway.session;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpCookie;
import org.springframework.http.ResponseCookie;
import org.springframework.web.server.ServerWebExchange;

/**
 * The gateway's two cookies. {@code __Host-gatehouse} names the session; {@code __Host-gatehouse-login} names the
 * short-lived pre-login session that holds state, nonce and PKCE verifier of logins in progress, so a callback is
 * accepted only in the browser that started it. The {@code __Host-} prefix makes the browser insist on Secure,
 * Path=/ and no Domain: one cookie per host, never shared with a sibling host.
 */
public final class SessionCookies {

    public static final String SESSION = "__Host-gatehouse";
    public static final String LOGIN = "__Host-gatehouse-login";

    private SessionCookies() {
    }

    /** The value of the named cookie, or null; several cookies of that name (injected by a sibling) count as none. */
    public static @Nullable String read(ServerWebExchange exchange, String name) {
        var values = exchange.getRequest().getCookies().get(name);
        if (values == null || values.size() != 1) {
            return null;
        }
        HttpCookie cookie = values.get(0);
        return cookie.getValue().isEmpty() ? null : cookie.getValue();
    }

    /**
     * The value of the named cookie in {@code Cookie} header values (a request another proxy describes), or null;
     * as {@link #read(ServerWebExchange, String)}, several cookies of that name count as none.
     */
    public static @Nullable String read(java.util.List<String> cookieHeaders, String name) {
        String found = null;
        int seen = 0;
        for (String header : cookieHeaders) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                    seen++;
                    found = pair.substring(eq + 1).trim();
                    if (found.length() >= 2 && found.startsWith("\"") && found.endsWith("\"")) {
                        found = found.substring(1, found.length() - 1);
                    }
                }
            }
        }
        return seen != 1 || found == null || found.isEmpty() ? null : found;
    }

    /** The {@code Set-Cookie} value of a new pre-login cookie (for an answer written by another proxy). */
    public static String loginCookie(String loginSessionId, Duration maxAge) {
        return base(LOGIN, loginSessionId).maxAge(maxAge).build().toString();
    }

    /** Session cookie: a browser-session cookie (no Max-Age), the server decides when it ends. */
    public static void setSession(ServerWebExchange exchange, String sessionId) {
        exchange.getResponse().addCookie(base(SESSION, sessionId).build());
    }

    public static void setLogin(ServerWebExchange exchange, String loginSessionId, Duration maxAge) {
        exchange.getResponse().addCookie(base(LOGIN, loginSessionId).maxAge(maxAge).build());
    }

    public static void clear(ServerWebExchange exchange, String name) {
        exchange.getResponse().addCookie(base(name, "").maxAge(Duration.ZERO).build());
    }

    private static ResponseCookie.ResponseCookieBuilder base(String name, String value) {
        return ResponseCookie.from(name, value).secure(true).httpOnly(true).sameSite("Lax").path("/");
    }

    /** True for the gateway's own cookie names (compared exactly, as browsers do). */
    public static boolean isOurs(String name) {
        return SESSION.equals(name) || LOGIN.equals(name);
    }
}
