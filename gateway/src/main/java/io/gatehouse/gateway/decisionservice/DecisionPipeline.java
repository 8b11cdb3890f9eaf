package io.gatehouse.gateway.decisionservice;

import io.gatehouse.gateway.RequestContext;
import io.gatehouse.gateway.assertion.Assertion;
import io.gatehouse.gateway.assertion.AssertionSigner;
import io.gatehouse.gateway.authn.AuthenticateStep;
import io.gatehouse.gateway.authn.BearerAuthenticationException;
import io.gatehouse.gateway.authn.BearerAuthenticator;
import io.gatehouse.gateway.authn.IssuerUnavailableException;
import io.gatehouse.gateway.config.LiveConfig;
import io.gatehouse.gateway.decision.BrowserNavigation;
import io.gatehouse.gateway.decision.DecisionCounters;
import io.gatehouse.gateway.decision.LoginStart;
import io.gatehouse.gateway.decision.LoginUnavailableException;
import io.gatehouse.gateway.decision.PolicyRequests;
import io.gatehouse.gateway.decision.Verdict;
import io.gatehouse.gateway.decision.Verdicts;
import io.gatehouse.gateway.decisionlog.DecisionFactsProperties;
import io.gatehouse.gateway.decisionlog.DecisionLogEvent;
import io.gatehouse.gateway.decisionlog.DecisionLogEvents;
import io.gatehouse.gateway.decisionlog.DecisionLogWriter;
import io.gatehouse.gateway.decisionlog.RecordWebFilter;
import io.gatehouse.gateway.device.DeviceResolver;
import io.gatehouse.gateway.exchange.RequestFacts;
import io.gatehouse.gateway.exchange.ReservedPaths;
import io.gatehouse.gateway.hygiene.Hygiene;
import io.gatehouse.gateway.problem.Problems.Problem;
import io.gatehouse.gateway.session.SessionAuthenticator;
import io.gatehouse.gateway.session.SessionCookies;
import io.gatehouse.gateway.session.SessionStoreUnavailableException;
import io.gatehouse.policy.CompiledConfig;
import io.gatehouse.policy.Decision;
import io.gatehouse.policy.Reason;
import io.gatehouse.policy.Request;
import io.gatehouse.policy.RoutedDecision;
import io.gatehouse.policy.model.Route;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Mono;

/**
 * One check of the decision service (docs/design-next.md §1, §2): the stages of the public listener, in
 * {@code RequestStage} order, as functions over the {@link RequestFacts} a trusted proxy described. Steps:
 * <ol>
 *   <li>a fresh {@link RequestContext} (its own request id; the stages apply);</li>
 *   <li>HYGIENE ({@link Hygiene#judge}): a finding → 400; a path reserved for the gateway ({@code /.gatehouse/},
 *       {@code /.well-known/gatehouse/}) → 404, because the proxy must route those to Gatehouse's public listener
 *       and never to an upstream;</li>
 *   <li>AUTHENTICATE: the {@code Authorization} bearer token, else the {@code __Host-gatehouse} session cookie; a bad
 *       token → 401; the issuer or the session store unreachable → 503 with {@code Retry-After};</li>
 *   <li>DEVICE ({@link DeviceResolver}): the certificate the proxy verified and forwarded;</li>
 *   <li>DECIDE: {@link PolicyRequests#from(RequestFacts, RequestContext, Instant)}, the config in force, and
 *       {@link Verdicts#of};</li>
 *   <li>ASSERT on allow (the same claims as on the proxy path, bound to the described method, host and path), or the
 *       login redirect ({@link LoginStart#begin}) for a browser that must sign in (the IdP down → 503).</li>
 * </ol>
 * The caller (the dialect's listener) renders the {@link Outcome}, then {@link #record}s one decision-log line with
 * the status it asked the proxy to answer. An error out of {@link #decide} is a bug or a failed signature: the
 * listener answers 500 and every proxy fails closed.
 */
public final class DecisionPipeline {

    private final LiveConfig config;
    private final Clock clock;
    private final BearerAuthenticator bearer;
    private final @Nullable SessionAuthenticator sessions;
    private final DeviceResolver devices;
    private final @Nullable LoginStart login;
    private final AssertionSigner signer;
    private final DecisionLogWriter writer;
    private final DecisionFactsProperties factsSettings;
    private final MeterRegistry meters;
    private final Map<String, Counter> decisions = new ConcurrentHashMap<>();
    private final Map<String, Counter> shadowDisagreements = new ConcurrentHashMap<>();

    public DecisionPipeline(LiveConfig config, Clock clock, BearerAuthenticator bearer,
                            @Nullable SessionAuthenticator sessions, DeviceResolver devices, @Nullable LoginStart login,
                            AssertionSigner signer, DecisionLogWriter writer, DecisionFactsProperties factsSettings,
                            MeterRegistry meters) {
        this.factsSettings = Objects.requireNonNull(factsSettings, "factsSettings");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.bearer = Objects.requireNonNull(bearer, "bearer");
        this.sessions = sessions;
        this.devices = Objects.requireNonNull(devices, "devices");
        this.login = login;
        this.signer = Objects.requireNonNull(signer, "signer");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    /** Decides the described request for {@code caller} (already trusted: see {@link CallerTrust}). */
    public Mono<Outcome> decide(RequestFacts facts, Caller caller) {
        Objects.requireNonNull(facts, "facts");
        Objects.requireNonNull(caller, "caller");
        return Mono.defer(() -> {
            RequestContext context = new RequestContext(RecordWebFilter.newRequestId(), System.nanoTime(),
                    clock.instant(), true);
            Hygiene.Judged judged = Hygiene.judge(facts);
            if (judged.rejection() != null) {
                Reason why = judged.rejection().reason();
                context.rejected(why);
                return Mono.just(refused(context, Verdict.Kind.REJECTED,
                        Problem.of(HttpStatus.BAD_REQUEST, why, context.requestId(), null), null, null));
            }
            String canonical = Objects.requireNonNull(judged.canonicalPath(), "canonicalPath");
            context.canonicalPath(canonical);
            if (ReservedPaths.isReserved(canonical)) {
                Reason why = new Reason("reserved-path", "the path " + canonical + " belongs to Gatehouse: the proxy"
                        + " must route /.gatehouse/ and /.well-known/gatehouse/ to Gatehouse's public listener");
                context.rejected(why);
                return Mono.just(refused(context, Verdict.Kind.NO_ROUTE,
                        Problem.of(HttpStatus.NOT_FOUND, why, context.requestId(), null), null, null));
            }
            return authenticate(facts, context)
                    .switchIfEmpty(Mono.defer(() -> device(facts, context).then(Mono.defer(() -> decided(facts,
                            context)))));
        });
    }

    /** Empty when authentication went on (identified or anonymous); else the refusal. */
    private Mono<Outcome> authenticate(RequestFacts facts, RequestContext context) {
        List<String> authorization = facts.headers().getOrEmpty(HttpHeaders.AUTHORIZATION);
        // A request that names a bearer token is an API call: its cookie is not consulted (as on the public listener).
        if (sessions != null && authorization.isEmpty()) {
            String cookie = SessionCookies.read(facts.headers().getOrEmpty(HttpHeaders.COOKIE), SessionCookies.SESSION);
            return sessions.authenticate(cookie)
                    .doOnNext(s -> context.authenticated(RequestContext.AuthKind.SESSION, s.identity(),
                            s.sessionIdHash()))
                    .then(Mono.<Outcome>empty())
                    .onErrorResume(SessionStoreUnavailableException.class, e -> {
                        context.rejected(SessionStoreUnavailableException.REASON);
                        return Mono.just(refused(context, Verdict.Kind.UNAVAILABLE,
                                new Problem(HttpStatus.SERVICE_UNAVAILABLE, SessionStoreUnavailableException.REASON
                                        .code(), "Session store unavailable",
                                        "Your session could not be looked up just now; try again shortly.",
                                        List.of(SessionStoreUnavailableException.REASON.text()),
                                        context.requestId(), null), null, "2"));
                    });
        }
        return bearer.authenticateAuthorization(authorization)
                .doOnNext(identity -> context.authenticated(RequestContext.AuthKind.BEARER, identity, null))
                .then(Mono.<Outcome>empty())
                .onErrorResume(BearerAuthenticationException.class, e -> {
                    context.rejected(e.reason());
                    return Mono.just(refused(context, Verdict.Kind.UNAUTHENTICATED,
                            Problem.of(HttpStatus.UNAUTHORIZED, e.reason(), context.requestId(), null),
                            "Bearer error=\"invalid_token\", error_description=\""
                                    + AuthenticateStep.quotable(e.reason().text()) + "\"", null));
                })
                .onErrorResume(IssuerUnavailableException.class, e -> {
                    context.rejected(e.reason());
                    return Mono.just(refused(context, Verdict.Kind.UNAVAILABLE,
                            Problem.of(HttpStatus.SERVICE_UNAVAILABLE, e.reason(), context.requestId(), null),
                            null, "5"));
                });
    }

    private Mono<Void> device(RequestFacts facts, RequestContext context) {
        return devices.resolve(facts.clientCertificate(), facts.forwardedCertificate())
                .doOnNext(found -> found.ifPresent(d -> context.device(d.certificateSha256(), d.posture(),
                        d.notes().isEmpty() ? null : d.notes().get(0))))
                .then();
    }

    private Mono<Outcome> decided(RequestFacts facts, RequestContext context) {
        CompiledConfig snapshot = config.current();
        Request request = PolicyRequests.from(facts, context, clock.instant());
        context.asked(request, snapshot.claimsRead()); // the decision log's facts: what a replay decides again
        RoutedDecision routed = snapshot.decideRouted(request);
        Decision decision = routed.decision();
        Route route = routed.route();
        context.decided(decision, route, snapshot.version(), routed.shadow());
        DecisionCounters.count(decisions, meters, decision);
        DecisionCounters.countDisagreement(shadowDisagreements, meters, routed);
        Verdict verdict = Verdicts.of(decision, route, context, BrowserNavigation.test(facts.method(),
                facts.headers()), login != null);
        if (verdict instanceof Verdict.Allow) {
            Assertion assertion = signer.sign(Objects.requireNonNull(route, "route").audience(), context.identity(),
                    context.device(), facts.method(), facts.canonicalHost(),
                    facts.rawPath().isEmpty() ? "/" : facts.rawPath());
            context.asserted(assertion.jti(), assertion.jwt());
            return Mono.just(new Outcome(verdict, context, assertion, null));
        }
        if (verdict instanceof Verdict.Login start && login != null) {
            String back = (facts.rawPath().isEmpty() ? "/" : facts.rawPath())
                    + (facts.rawQuery() == null ? "" : "?" + facts.rawQuery());
            String loginCookie = SessionCookies.read(facts.headers().getOrEmpty(HttpHeaders.COOKIE),
                    SessionCookies.LOGIN);
            return login.begin(facts.origin(), back, loginCookie, start.stepUp())
                    .map(redirect -> new Outcome(verdict, context, null, redirect))
                    .onErrorResume(LoginUnavailableException.class, e -> Mono.just(refused(context,
                            Verdict.Kind.UNAVAILABLE, new Problem(HttpStatus.SERVICE_UNAVAILABLE, "login-unavailable",
                                    "Sign-in is unavailable", "The sign-in service cannot be reached right now."
                                    + " Please try again in a few minutes.", List.of(), context.requestId(),
                                    context.routeId()), null, "5")));
        }
        return Mono.just(new Outcome(verdict, context, null, null));
    }

    private static Outcome refused(RequestContext context, Verdict.Kind kind, Problem problem,
                                   @Nullable String wwwAuthenticate, @Nullable String retryAfter) {
        return new Outcome(new Verdict.Refused(kind, problem, wwwAuthenticate, retryAfter), context, null, null);
    }

    /**
     * Writes the one decision-log line of a check: {@code status} is what the answer asks the proxy to give the
     * client (200 on allow), the latency is from the context's start to now.
     */
    public void record(Outcome outcome, RequestFacts facts, DecisionLogEvent.Via via, int status) {
        RequestContext context = outcome.context();
        writer.submit(DecisionLogEvents.of(context, facts, status,
                (System.nanoTime() - context.startNanos()) / 1e6, via, config.current().version(), factsSettings));
    }

    /**
     * Writes the line of a check refused before any facts were accepted: an untrusted caller ({@code status} 403),
     * or facts missing or malformed ({@code authz-facts-invalid}). {@code sourceIp} is the caller's address.
     */
    public void recordRefused(DecisionLogEvent.Via via, String sourceIp, String reason, int status,
                              long startNanos) {
        recordRefused(RecordWebFilter.newRequestId(), via, sourceIp, reason, status, startNanos);
    }

    /** As above, under the request id the answer named ({@link #newRequestId()}), so the line can be found. */
    public void recordRefused(String requestId, DecisionLogEvent.Via via, String sourceIp, String reason, int status,
                              long startNanos) {
        writer.submit(DecisionLogEvents.refusedCheck(requestId, clock.instant(), via, sourceIp, reason, status,
                (System.nanoTime() - startNanos) / 1e6, config.current().version()));
    }

    /** A fresh request id for an answer given without a decision (untrusted caller, invalid facts, a failure). */
    public static String newRequestId() {
        return RecordWebFilter.newRequestId();
    }

    /** The version of the config in force (for answers that name it). */
    public String policyVersion() {
        return config.current().version();
    }
}
