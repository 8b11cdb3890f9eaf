package io.gatehouse.gateway.login;

import io.gatehouse.gateway.RequestContext;
import io.gatehouse.gateway.decision.LoginRedirect;
import io.gatehouse.gateway.decision.LoginStart;
import io.gatehouse.gateway.decision.LoginUnavailableException;
import org.springframework.http.HttpHeaders;
import io.gatehouse.gateway.exchange.Addresses;
import io.gatehouse.gateway.session.BrowserSessions;
import io.gatehouse.gateway.session.SessionStoreUnavailableException;
import io.gatehouse.gateway.session.SessionCookies;
import java.net.URI;
import java.security.DrbgParameters;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Starts a login (docs/design.md, "Identity"): called by the DECIDE stage for a browser navigation without a session, or
 * with a login too old for a rule's {@code max_auth_age} (step-up). Steps:
 * <ol>
 *   <li>Make a fresh state, nonce and PKCE verifier (32 random bytes each).</li>
 *   <li>Remember them, with the URL asked for (path and query of THIS request, nothing else) and the host, in the
 *       pre-login session named by the {@code __Host-gatehouse-login} cookie, under the state: single use.</li>
 *   <li>302 to the IdP's authorization endpoint, with {@code redirect_uri} = {@code /.gatehouse/callback} on this host
 *       (and {@code max_age=0&prompt=login} for step-up).</li>
 * </ol>
 * When the IdP's discovery document cannot be fetched, the answer is a 503 page, never a loop or a stack trace.
 */
public final class BrowserLogin implements LoginStart {

    private static final Logger LOG = LoggerFactory.getLogger(BrowserLogin.class);
    static final String ATTEMPT = "login.";

    private final OidcClient oidc;
    private final BrowserSessions sessions;
    private final OidcProperties properties;
    /** State, nonce and PKCE verifier: secrets, made on the event loop (see {@link #seededDrbg()}). */
    private final SecureRandom random = seededDrbg();

    public BrowserLogin(OidcClient oidc, BrowserSessions sessions, OidcProperties properties) {
        this.oidc = Objects.requireNonNull(oidc, "oidc");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.properties = Objects.requireNonNull(properties, "properties");
    }

    /**
     * A NIST SP 800-90A DRBG (the JDK's Hash_DRBG, SHA-256) at 256-bit strength, instantiated here, at startup, where
     * it reads its entropy once. The default {@code new SecureRandom()} on Linux is NativePRNG, which reads
     * /dev/urandom under a global lock whenever its 32-byte buffer is used up or 100 ms old: file I/O on the Netty
     * event loop that starts a login (BlockHound flags it). The DRBG then only computes: no prediction resistance
     * is asked for (that would read entropy on every call), and its reseed interval (2^31 requests) is never reached
     * in practice. Generating on a bounded scheduler instead would cost a thread hop per login for no gain.
     */
    private static SecureRandom seededDrbg() {
        try {
            SecureRandom drbg = SecureRandom.getInstance("DRBG",
                    DrbgParameters.instantiation(256, DrbgParameters.Capability.RESEED_ONLY, null));
            drbg.nextBytes(new byte[1]); // the DRBG instantiates (reads its seed) on first use: make that now
            return drbg;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no DRBG SecureRandom (JDK 9+ always has): " + e, e);
        }
    }

    @Override
    public Mono<Void> start(ServerWebExchange exchange, boolean stepUp) {
        ServerHttpRequest request = exchange.getRequest();
        return begin(origin(request), returnPath(request), SessionCookies.read(exchange, SessionCookies.LOGIN), stepUp)
                .flatMap(redirect -> {
                    if (redirect.setCookie() != null) {
                        exchange.getResponse().getHeaders().add(HttpHeaders.SET_COOKIE, redirect.setCookie());
                    }
                    return redirect(exchange, redirect.location());
                })
                .onErrorResume(LoginUnavailableException.class, e -> LoginPages.write(exchange,
                        HttpStatus.SERVICE_UNAVAILABLE, "Sign-in is unavailable",
                        "The sign-in service cannot be reached right now. Please try again in a few minutes.",
                        RequestContext.of(exchange).requestId()));
    }

    @Override
    public Mono<LoginRedirect> begin(String origin, String returnPath, @Nullable String loginSessionId,
                                     boolean stepUp) {
        String state = random();
        String nonce = random();
        String verifier = random();
        String attempt = LoginAttempt.encode(new LoginAttempt(nonce, verifier, origin, safeReturnPath(returnPath)));
        URI callback = URI.create(origin + LoginRouter.CALLBACK);
        return oidc.authorizationUrl(callback, state, nonce, verifier, stepUp)
                .doOnError(e -> LOG.warn("cannot start a login: the IdP at {} is unreachable ({})",
                        properties.issuerUri(), e.toString()))
                .flatMap(url -> remember(loginSessionId, state, attempt)
                        .doOnError(e -> LOG.warn("cannot start a login: the session store failed ({})", e.toString()))
                        .map(setCookie -> new LoginRedirect(url, setCookie.isEmpty() ? null : setCookie)))
                .onErrorMap(e -> OidcClient.isIdpFailure(e) || SessionStoreUnavailableException.isStoreFailure(e)
                        || e instanceof SessionStoreUnavailableException,
                        e -> new LoginUnavailableException("a login cannot start now: " + e.getMessage(), e));
    }

    private static Mono<Void> redirect(ServerWebExchange exchange, URI url) {
        exchange.getResponse().setStatusCode(HttpStatus.FOUND);
        exchange.getResponse().getHeaders().setLocation(url);
        exchange.getResponse().getHeaders().setCacheControl("no-store");
        return exchange.getResponse().setComplete();
    }

    /** Stores the attempt in the browser's pre-login session, or a new one: its Set-Cookie value, "" for none. */
    private Mono<String> remember(@Nullable String loginId, String state, String attempt) {
        Mono<Boolean> added = loginId == null ? Mono.just(false)
                : sessions.addLoginAttribute(loginId, ATTEMPT + state, attempt);
        return added.flatMap(ok -> ok ? Mono.just("")
                : sessions.createLogin(Map.of(ATTEMPT + state, attempt), properties.loginTimeout())
                        .map(id -> SessionCookies.loginCookie(id, properties.loginTimeout())));
    }

    /** {@code scheme://host[:port]} of this request: the host the browser is on. */
    static String origin(ServerHttpRequest request) {
        return Addresses.origin(request);
    }

    /**
     * The path and query of the request that needed a login: always an absolute path, so that appended to
     * {@link #origin} it stays on this host ({@code //evil.example} or {@code /\evil.example} become {@code /}).
     */
    static String returnPath(ServerHttpRequest request) {
        return returnPath(request.getURI().getRawPath(), request.getURI().getRawQuery());
    }

    /** A return path from another proxy's description: kept only when it is a safe absolute path on this host. */
    static String safeReturnPath(String pathAndQuery) {
        int question = pathAndQuery.indexOf('?');
        return question < 0 ? returnPath(pathAndQuery, null)
                : returnPath(pathAndQuery.substring(0, question), pathAndQuery.substring(question + 1));
    }

    private static String returnPath(@Nullable String path, @Nullable String query) {
        if (path == null || path.isEmpty() || !path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) {
            path = "/";
        }
        return query == null ? path : path + "?" + query;
    }

    private String random() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** One login in progress, stored in the pre-login session under its state. */
    record LoginAttempt(String nonce, String verifier, String origin, String returnPath) {

        static String encode(LoginAttempt a) {
            Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
            return String.join(".", a.nonce, a.verifier, b.encodeToString(a.origin.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    b.encodeToString(a.returnPath.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }

        static @Nullable LoginAttempt decode(String text) {
            String[] parts = text.split("\\.", -1);
            if (parts.length != 4) {
                return null;
            }
            Base64.Decoder b = Base64.getUrlDecoder();
            return new LoginAttempt(parts[0], parts[1], new String(b.decode(parts[2]), java.nio.charset.StandardCharsets.UTF_8),
                    new String(b.decode(parts[3]), java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
