package io.gatehouse.gateway.login;

import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.claims.LogoutTokenClaimsSet;
import io.gatehouse.gateway.Failures;
import io.gatehouse.gateway.RequestContext;
import io.gatehouse.gateway.config.LiveConfig;
import io.gatehouse.gateway.session.BrowserSessions;
import io.gatehouse.gateway.session.SessionCookies;
import io.gatehouse.gateway.session.SessionFacts;
import io.gatehouse.gateway.session.SessionIndex;
import io.gatehouse.gateway.session.SessionStoreUnavailableException;
import io.gatehouse.gateway.session.TokenRefresher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The gateway's login endpoints on every routed host (docs/design.md, "Reserved paths"), answered before any policy:
 * <ul>
 *   <li>{@code GET /.gatehouse/callback}: take the login attempt named by {@code state} out of the pre-login session
 *       (single use; from another browser or host it is not found), redeem the code with the PKCE verifier, validate
 *       the ID token and nonce, end any previous session, create a NEW session and 302 to the URL first asked for on
 *       this host. Nothing in the query decides where the browser goes.</li>
 *   <li>{@code GET /.gatehouse/logout}: a page asking to confirm, whose form POSTs; a GET ends nothing, so a link
 *       or an image on another site cannot sign anyone out.</li>
 *   <li>{@code POST /.gatehouse/logout}: only from this origin ({@link SameOrigin}, else 403); end the session, then
 *       303 to RP-initiated logout at the IdP's {@code end_session_endpoint} with {@code client_id} and
 *       {@code post_logout_redirect_uri} = {@code /.gatehouse/signed-out} on this host (never the ID token: that URL
 *       is seen by the browser, its history and the IdP's logs).</li>
 *   <li>{@code POST /.gatehouse/backchannel-logout}: OIDC Back-Channel Logout 1.0; 200 when the logout token is
 *       valid and new (every session of its {@code sid}, or of its {@code sub} when it names no sid, ends), 400
 *       otherwise. Its {@code jti} is claimed in the session index until the token expires, so a replayed token is
 *       refused, on every replica.</li>
 * </ul>
 * Every one of them answers only on a host that serves a route ({@link RoutedHosts}); elsewhere 404, never a redirect.
 */
public final class LoginRouter {

    private static final Logger LOG = LoggerFactory.getLogger(LoginRouter.class);
    public static final String CALLBACK = "/.gatehouse/callback";
    public static final String LOGOUT = "/.gatehouse/logout";
    public static final String SIGNED_OUT = "/.gatehouse/signed-out";
    public static final String BACKCHANNEL_LOGOUT = "/.gatehouse/backchannel-logout";

    private final OidcClient oidc;
    private final BrowserSessions sessions;
    private final OidcProperties properties;
    /** A logout token without {@code exp} is remembered this long and refused once its {@code iat} is older. */
    static final Duration LOGOUT_TOKEN_WITHOUT_EXP = Duration.ofMinutes(10);
    /** Clock skew allowed on a logout token's {@code exp}: its {@code jti} is remembered this much longer. */
    private static final Duration SKEW = Duration.ofMinutes(1);

    private final Clock clock;
    private final RoutedHosts routedHosts;
    private final Counter internalErrors;

    public LoginRouter(OidcClient oidc, BrowserSessions sessions, OidcProperties properties, Clock clock,
                       LiveConfig config) {
        this(oidc, sessions, properties, clock, config, new SimpleMeterRegistry());
    }

    public LoginRouter(OidcClient oidc, BrowserSessions sessions, OidcProperties properties, Clock clock,
                       LiveConfig config, MeterRegistry meters) {
        this.oidc = Objects.requireNonNull(oidc, "oidc");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.properties = Objects.requireNonNull(properties, "properties");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.routedHosts = new RoutedHosts(config);
        this.internalErrors = Failures.internalErrors(meters, "login");
    }

    public RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route(RequestPredicates.GET(CALLBACK), this::callback)
                .andRoute(RequestPredicates.GET(LOGOUT), this::confirmLogout)
                .andRoute(RequestPredicates.POST(LOGOUT), this::logout)
                .andRoute(RequestPredicates.GET(SIGNED_OUT), this::signedOut)
                .andRoute(RequestPredicates.POST(BACKCHANNEL_LOGOUT), this::backchannelLogout)
                .filter((request, next) -> routedHosts.serves(request.exchange().getRequest()) ? next.handle(request)
                        : LoginPages.notFound(RequestContext.of(request.exchange()).requestId()));
    }

    private Mono<ServerResponse> callback(ServerRequest request) {
        var exchange = request.exchange();
        String requestId = RequestContext.of(exchange).requestId();
        String state = request.queryParam("state").orElse(null);
        String loginId = SessionCookies.read(exchange, SessionCookies.LOGIN);
        Mono<ServerResponse> expired = LoginPages.response(HttpStatus.BAD_REQUEST, "Sign-in expired",
                "This sign-in is not valid any more (it was used, it took too long, or it was started in another"
                        + " browser). Please start again.", requestId);
        if (state == null || loginId == null) {
            return expired;
        }
        String origin = BrowserLogin.origin(exchange.getRequest());
        return sessions.takeLoginAttribute(loginId, BrowserLogin.ATTEMPT + state)
                .mapNotNull(BrowserLogin.LoginAttempt::decode)
                .filter(attempt -> attempt.origin().equals(origin))
                .flatMap(attempt -> {
                    String code = request.queryParam("code").orElse(null);
                    if (code == null || request.queryParam("error").isPresent()) {
                        return LoginPages.response(HttpStatus.BAD_REQUEST, "Sign-in did not complete",
                                "The sign-in service did not let you in. Please start again.", requestId);
                    }
                    return oidc.redeem(code, URI.create(origin + CALLBACK), attempt.verifier(), attempt.nonce())
                            .flatMap(login -> signIn(exchange, login))
                            .flatMap(ignored -> ServerResponse.status(HttpStatus.FOUND)
                                    .location(URI.create(origin + attempt.returnPath()))
                                    .header("Cache-Control", "no-store").build())
                            .onErrorResume(e -> failed(e, requestId));
                })
                .switchIfEmpty(expired);
    }

    private Mono<String> signIn(org.springframework.web.server.ServerWebExchange exchange, OidcClient.Login login) {
        String sid = login.claims().getClaim("sid") instanceof String s ? s : null;
        SessionFacts facts = new SessionFacts(login.identity(), sid, login.refreshToken(), login.idToken(),
                login.accessExpiresAt(), clock.instant().plus(sessions.maxAge()));
        String previous = SessionCookies.read(exchange, SessionCookies.SESSION);
        // A new session id at every login, whatever the browser held: a planted id never becomes a login.
        Mono<Void> endPrevious = previous == null ? Mono.empty() : sessions.delete(previous);
        return endPrevious.then(sessions.create(facts)).doOnNext(id -> {
            SessionCookies.setSession(exchange, id);
            LOG.info("login: session {} for sub {}", BrowserSessions.hash(id), facts.sub());
        });
    }

    /** The answer to a callback whose sign-in failed with {@code e}: 400, 503, or the bug itself (500). */
    Mono<ServerResponse> failed(Throwable e, String requestId) {
        if (e instanceof TokenRefresher.Rejected || e instanceof com.nimbusds.jose.proc.BadJOSEException) {
            LOG.warn("login failed: {}", e.toString());
            return LoginPages.response(HttpStatus.BAD_REQUEST, "Sign-in failed",
                    "The sign-in could not be verified. Please start again.", requestId);
        }
        if (!OidcClient.isIdpFailure(e) && !SessionStoreUnavailableException.isStoreFailure(e)
                && !(e instanceof SessionStoreUnavailableException)) {
            internalErrors.increment(); // a bug: not a 503 "unreachable", the error handler answers 500
            return Mono.error(e);
        }
        LOG.warn("login failed, the IdP or the session store is unreachable: {}", e.toString());
        return LoginPages.response(HttpStatus.SERVICE_UNAVAILABLE, "Sign-in is unavailable",
                "The sign-in service cannot be reached right now. Please try again in a few minutes.", requestId);
    }

    private Mono<ServerResponse> confirmLogout(ServerRequest request) {
        return LoginPages.confirmLogout(RequestContext.of(request.exchange()).requestId());
    }

    private Mono<ServerResponse> logout(ServerRequest request) {
        var exchange = request.exchange();
        String origin = BrowserLogin.origin(exchange.getRequest());
        if (!SameOrigin.test(exchange.getRequest(), origin)) {
            LOG.info("logout refused: not from {} (Origin {}, Sec-Fetch-Site {})", origin,
                    exchange.getRequest().getHeaders().get("Origin"), exchange.getRequest().getHeaders().get("Sec-Fetch-Site"));
            return LoginPages.response(HttpStatus.FORBIDDEN, "Sign-out refused",
                    "This sign-out request did not come from this site, so you are still signed in. To sign out,"
                            + " use the Sign out button of this site.", RequestContext.of(exchange).requestId());
        }
        URI signedOut = URI.create(origin + SIGNED_OUT);
        String id = SessionCookies.read(exchange, SessionCookies.SESSION);
        SessionCookies.clear(exchange, SessionCookies.SESSION);
        Mono<URI> target = id == null ? Mono.just(signedOut) : sessions.find(id)
                .flatMap(facts -> sessions.delete(id).then(endSessionUrl(signedOut)))
                .switchIfEmpty(Mono.defer(() -> sessions.delete(id).thenReturn(signedOut)));
        // 303: the browser follows with a GET, whatever the method of this request.
        return target.flatMap(uri -> ServerResponse.status(HttpStatus.SEE_OTHER).location(uri)
                .header("Cache-Control", "no-store").build());
    }

    private Mono<URI> endSessionUrl(URI signedOut) {
        return oidc.metadata()
                .mapNotNull(metadata -> metadata.getEndSessionEndpointURI())
                .map(endpoint -> endSessionUrl(endpoint, Objects.requireNonNull(properties.clientId()), signedOut))
                .onErrorResume(OidcClient::isIdpFailure, e -> Mono.empty())
                .defaultIfEmpty(signedOut);
    }

    /**
     * RP-initiated logout by {@code client_id} and {@code post_logout_redirect_uri} (OIDC RP-Initiated Logout 1.0,
     * section 2): never {@code id_token_hint}, which would put the ID token into a URL the browser shows and keeps.
     */
    static URI endSessionUrl(URI endpoint, String clientId, URI signedOut) {
        return new LogoutRequest(endpoint, null, null, new ClientID(clientId), signedOut, null, null).toURI();
    }

    private Mono<ServerResponse> signedOut(ServerRequest request) {
        return LoginPages.response(HttpStatus.OK, "Signed out", "You are signed out of the gateway.",
                RequestContext.of(request.exchange()).requestId());
    }

    private Mono<ServerResponse> backchannelLogout(ServerRequest request) {
        return request.formData()
                .mapNotNull(form -> form.getFirst("logout_token"))
                .flatMap(token -> oidc.validateLogoutToken(token))
                .flatMap(this::firstUse)
                .flatMap(claims -> {
                    String sid = claims.getSessionID() == null ? null : claims.getSessionID().getValue();
                    String sub = sid != null || claims.getSubject() == null ? null : claims.getSubject().getValue();
                    return sessions.endAll(sid, sub).doOnNext(n -> LOG.info(
                            "back-channel logout: {} session(s) ended for sid {} sub {}", n, sid, sub));
                })
                .flatMap(n -> ServerResponse.ok().header("Cache-Control", "no-store").build())
                .switchIfEmpty(Mono.defer(() -> invalid("logout_token is missing")))
                .onErrorResume(LoginRouter::refusedLogout, e -> {
                    LOG.warn("back-channel logout rejected: {}", e.toString());
                    return invalid("the logout token is not valid");
                })
                .doOnError(e -> internalErrors.increment());
    }

    /**
     * The token's {@code jti}, claimed in the session index until the token expires (plus skew): the first use
     * passes, a replay errors. A token without {@code exp} is remembered {@link #LOGOUT_TOKEN_WITHOUT_EXP} and
     * refused once its {@code iat} is older than that, so no replay outlives the memory of it.
     */
    private Mono<LogoutTokenClaimsSet> firstUse(LogoutTokenClaimsSet claims) {
        Instant now = clock.instant();
        Date exp = claims.getDateClaim("exp");
        Instant until;
        if (exp != null) {
            until = exp.toInstant().plus(SKEW);
        } else {
            Date iat = claims.getIssueTime();
            if (iat == null || iat.toInstant().plus(LOGOUT_TOKEN_WITHOUT_EXP).isBefore(now)) {
                return Mono.error(new InvalidLogoutToken("the logout token has no exp and is older than "
                        + LOGOUT_TOKEN_WITHOUT_EXP));
            }
            until = iat.toInstant().plus(LOGOUT_TOKEN_WITHOUT_EXP).plus(SKEW);
        }
        if (!until.isAfter(now)) {
            return Mono.error(new InvalidLogoutToken("the logout token expired at " + exp));
        }
        if (claims.getJWTID() == null) {
            return Mono.error(new InvalidLogoutToken("the logout token has no jti"));
        }
        String key = SessionIndex.taken("jti:" + BrowserSessions.hash(claims.getIssuer().getValue() + "\n"
                + claims.getJWTID().getValue()));
        return sessions.index().claim(key, Duration.between(now, until)).flatMap(first -> first ? Mono.just(claims)
                : Mono.error(new InvalidLogoutToken("the logout token " + claims.getJWTID().getValue()
                        + " was already used")));
    }

    /**
     * A logout token that is not valid or was used before, or that could not be checked (IdP or session store
     * failing): 400, as always. Anything else is a bug: 500.
     */
    private static boolean refusedLogout(Throwable e) {
        return e instanceof InvalidLogoutToken || OidcClient.isIdpFailure(e)
                || SessionStoreUnavailableException.isStoreFailure(e) || e instanceof SessionStoreUnavailableException
                || e instanceof org.springframework.web.server.ServerWebInputException;
    }

    /** A logout token that is expired, lacks a jti or was used before. */
    private static final class InvalidLogoutToken extends RuntimeException {
        InvalidLogoutToken(String message) {
            super(message);
        }
    }

    private static Mono<ServerResponse> invalid(String description) {
        return ServerResponse.badRequest().contentType(MediaType.APPLICATION_JSON).header("Cache-Control", "no-store")
                .bodyValue(Map.of("error", "invalid_request", "error_description", description));
    }
}
