package io.gatehouse.gateway.decisionservice.http;

import io.gatehouse.gateway.decisionlog.DecisionLogEvent;
import io.gatehouse.gateway.decisionservice.AuthzMetrics;
import io.gatehouse.gateway.decisionservice.Caller;
import io.gatehouse.gateway.decisionservice.CallerTrust;
import io.gatehouse.gateway.decisionservice.DecisionPipeline;
import io.gatehouse.gateway.exchange.RequestFacts;
import io.gatehouse.gateway.problem.Problems;
import io.gatehouse.gateway.problem.Problems.Problem;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Mono;

/**
 * The HTTP authz listener's one handler (docs/design-next.md §2.1–2.5), without the server around it. Steps:
 * <ol>
 *   <li>the dialect from the path alone: {@code /authz/nginx}, {@code /authz/forward-auth},
 *       {@code /authz/envoy/<path>}; anything else is 404;</li>
 *   <li>the caller ({@link CallerTrust}) from the connection alone, before any header is read: untrusted → 403
 *       problem+json {@code authz-caller-untrusted}, a decision-log line, and
 *       {@code gatehouse_authz_untrusted_callers_total{listener="http"}};</li>
 *   <li>the dialect's facts ({@link Dialect#facts}): missing or malformed → {@code authz-facts-invalid};</li>
 *   <li>{@link DecisionPipeline#decide}, the dialect's answer, one decision-log line with {@code via}, and
 *       {@code gatehouse_authz_checks_total} / {@code gatehouse_authz_check_seconds};</li>
 *   <li>a failure in between: 500, which every proxy treats as a deny (fail closed).</li>
 * </ol>
 */
public final class AuthzHttpRouter {

    private static final Logger LOG = LoggerFactory.getLogger(AuthzHttpRouter.class);
    static final String CODE_UNTRUSTED = "authz-caller-untrusted";

    private final DecisionPipeline pipeline;
    private final CallerTrust trust;
    private final AuthzMetrics metrics;
    private final Dialect nginx = new NginxDialect();
    private final Dialect forwardAuth = new ForwardAuthDialect();
    private final Dialect envoy = new EnvoyHttpDialect();

    public AuthzHttpRouter(DecisionPipeline pipeline, CallerTrust trust, AuthzMetrics metrics) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.trust = Objects.requireNonNull(trust, "trust");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** The dialect and the path it describes for a check's raw path, or empty for a path that is no endpoint. */
    record Route(Dialect dialect, String describedPath) {
    }

    Optional<Route> route(String rawPath) {
        if (rawPath.equals("/authz/nginx")) {
            return Optional.of(new Route(nginx, ""));
        }
        if (rawPath.equals("/authz/forward-auth")) {
            return Optional.of(new Route(forwardAuth, ""));
        }
        if (rawPath.equals(EnvoyHttpDialect.PREFIX) || rawPath.startsWith(EnvoyHttpDialect.PREFIX + "/")) {
            return Optional.of(new Route(envoy, rawPath.substring(EnvoyHttpDialect.PREFIX.length())));
        }
        return Optional.empty();
    }

    /**
     * Answers one check.
     *
     * @param method       the check's method
     * @param target       the check's request target as received (origin form, or absolute form)
     * @param headers      the check's headers
     * @param remote       the TCP peer
     * @param verifiedPeer the client certificate the listener's TLS verified against the client CA, or null
     */
    public Mono<AuthzAnswer> handle(String method, String target, HttpHeaders headers,
                                    @Nullable InetSocketAddress remote, @Nullable X509Certificate verifiedPeer) {
        long start = System.nanoTime();
        String[] split = split(target);
        Optional<Route> route = route(split[0]);
        Optional<Caller> caller = trust.identify(remote, verifiedPeer);
        String callerIp = CallerTrust.address(remote);
        if (caller.isEmpty()) {
            return Mono.fromSupplier(() -> untrusted(route, remote, verifiedPeer, callerIp, start));
        }
        if (route.isEmpty()) {
            return Mono.just(notFound(split[0]));
        }
        Dialect dialect = route.get().dialect();
        DecisionLogEvent.Via via = new DecisionLogEvent.Via(dialect.name(), caller.get().name(),
                headers.getFirst("X-Request-Id"), null);
        RequestFacts facts;
        try {
            facts = dialect.facts(new AuthzCheck(method, route.get().describedPath(), split[1], headers, callerIp));
        } catch (FactsInvalidException e) {
            return Mono.fromSupplier(() -> {
                String requestId = DecisionPipeline.newRequestId();
                AuthzAnswer answer = dialect.invalid(e, requestId);
                pipeline.recordRefused(requestId, via, callerIp,
                        DialectSupport.CODE_FACTS_INVALID + ": " + e.getMessage(), answer.loggedStatus(), start);
                metrics.checked(dialect.name(), answer.outcome(), Duration.ofNanos(System.nanoTime() - start));
                return answer;
            });
        }
        return pipeline.decide(facts, caller.get())
                .map(outcome -> {
                    AuthzAnswer answer = dialect.answer(outcome, facts);
                    pipeline.record(outcome, facts, via, answer.loggedStatus());
                    metrics.checked(dialect.name(), answer.outcome(), Duration.ofNanos(System.nanoTime() - start));
                    return answer;
                })
                .onErrorResume(e -> Mono.fromSupplier(() -> failed(dialect, via, callerIp, e, start)));
    }

    private AuthzAnswer untrusted(Optional<Route> route, @Nullable InetSocketAddress remote,
                                  @Nullable X509Certificate peer, String callerIp, long start) {
        metrics.untrusted("http");
        String name = CallerTrust.describe(remote, peer);
        String requestId = DecisionPipeline.newRequestId();
        String reason = "caller " + name + " is not a trusted proxy (gatehouse.authz.callers)";
        route.ifPresent(r -> pipeline.recordRefused(requestId,
                new DecisionLogEvent.Via(r.dialect().name(), name, null, null), callerIp,
                CODE_UNTRUSTED + ": " + reason, 403, start));
        LOG.debug("decision service: refused an untrusted caller {}", name);
        return problem(new Problem(HttpStatus.FORBIDDEN, CODE_UNTRUSTED, "Caller not trusted",
                "This decision service answers only the proxies it is configured to trust.", List.of(reason),
                requestId, null), "untrusted");
    }

    private static AuthzAnswer notFound(String path) {
        return problem(new Problem(HttpStatus.NOT_FOUND, "no-route", "Not found", "The decision service serves"
                + " /authz/nginx, /authz/forward-auth and /authz/envoy/<path> only.", List.of(),
                DecisionPipeline.newRequestId(), null), "no-endpoint");
    }

    private AuthzAnswer failed(Dialect dialect, DecisionLogEvent.Via via, String callerIp, Throwable e, long start) {
        String requestId = DecisionPipeline.newRequestId();
        LOG.error("decision service: check {} failed; answered 500 (the proxy denies)", requestId, e);
        pipeline.recordRefused(requestId, via, callerIp,
                "failed before a decision (" + e.getClass().getSimpleName() + ")", 500, start);
        metrics.checked(dialect.name(), "error", Duration.ofNanos(System.nanoTime() - start));
        return problem(new Problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "The check failed; the proxy must deny.", List.of(), requestId, null), "error");
    }

    private static AuthzAnswer problem(Problem problem, String outcome) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(DialectSupport.problemJson());
        headers.setCacheControl("no-store");
        headers.set(DialectSupport.REQUEST_ID, problem.requestId());
        return new AuthzAnswer(problem.status().value(), headers, Problems.json(problem), problem.status().value(),
                outcome);
    }

    /** Path and query (null when none) of a request target in origin or absolute form. */
    static String[] split(String target) {
        String t = target;
        int scheme = t.indexOf("://");
        if (!t.startsWith("/") && scheme > 0) {
            int slash = t.indexOf('/', scheme + 3);
            t = slash < 0 ? "/" : t.substring(slash);
        }
        int question = t.indexOf('?');
        return question < 0 ? new String[] {t, null} : new String[] {t.substring(0, question),
                t.substring(question + 1)};
    }
}
