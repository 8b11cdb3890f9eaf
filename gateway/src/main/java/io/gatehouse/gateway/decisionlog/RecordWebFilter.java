package io.gatehouse.gateway.decisionlog;

import io.gatehouse.gateway.RequestContext;
import io.gatehouse.gateway.RequestStage;
import io.gatehouse.gateway.RequestStep;
import io.gatehouse.gateway.config.LiveConfig;
import io.gatehouse.gateway.exchange.Addresses;
import io.gatehouse.gateway.exchange.ReservedPaths;
import io.gatehouse.gateway.management.PublicListener;
import io.gatehouse.gateway.tls.ConnectionTls;
import io.gatehouse.policy.Decision;
import io.gatehouse.policy.DevicePosture;
import io.gatehouse.policy.Disagreement;
import io.gatehouse.policy.Identity;
import io.gatehouse.policy.Reason;
import io.gatehouse.policy.replay.DecisionFacts;
import io.opentelemetry.api.trace.Span;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Stage 7 at position 0, RECORD (docs/design.md, "The decision log"): creates the {@link RequestContext} with a fresh
 * request id (also sent back as {@code X-Request-Id}), lets the whole chain run, and when the response is committed —
 * whatever answered it: a stage, the upstream, or the error handler — hands exactly one event to the
 * {@link DecisionLogWriter}. A client that goes away before any answer gets an event with status 499. Requests for
 * the gateway's reserved paths (the JWKS, login and logout) and on the management port are not decisions and are not
 * logged, except a reserved-path request that HYGIENE or AUTHENTICATE refused: that refusal gets its line too.
 *
 * <p>RECORD is the request path's only {@code WebFilter} (issue 17, "The shape is also the cost"): inside it, the
 * stages run as plain {@link RequestStep}s over the typed context, in {@link RequestStage} order — HYGIENE,
 * AUTHENTICATE, DEVICE, DECIDE, ASSERT — each handing the exchange straight to the next, asynchronous only where a
 * stage really waits (an issuer's JWKS, the inventory, the session store); then the rest of the chain, once.
 *
 * <p>What is logged is chosen field by field: never a header value other than the User-Agent, never the query
 * string, so no token, cookie or assertion can reach the log.
 */
public final class RecordWebFilter implements WebFilter, Ordered {

    static final int CLIENT_CLOSED = 499;

    private final DecisionLogWriter writer;
    private final LiveConfig config;
    private final Clock clock;
    private final PublicListener publicListener;
    private final RequestTracer tracer;
    private final RequestTimers timers;
    private final DecisionFactsProperties facts;
    /** The stages after RECORD, in request-path order. */
    private final List<RequestStage> stages;
    private final RequestStep[] steps;

    public RecordWebFilter(DecisionLogWriter writer, LiveConfig config, Clock clock, PublicListener publicListener,
                           RequestTracer tracer, RequestTimers timers, DecisionFactsProperties facts,
                           Map<RequestStage, RequestStep> steps) {
        if (steps.containsKey(RequestStage.RECORD)) {
            throw new IllegalArgumentException("RECORD is this filter, not a step");
        }
        EnumMap<RequestStage, RequestStep> ordered = new EnumMap<>(RequestStage.class);
        ordered.putAll(steps);
        this.stages = List.copyOf(ordered.keySet());
        this.steps = ordered.values().toArray(RequestStep[]::new);
        this.facts = Objects.requireNonNull(facts, "facts");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.tracer = Objects.requireNonNull(tracer, "tracer");
        this.timers = Objects.requireNonNull(timers, "timers");
        this.publicListener = Objects.requireNonNull(publicListener, "publicListener");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public int getOrder() {
        return RequestStage.RECORD.order();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        Instant started = clock.instant();
        // Every exchange gets a context (later stages need one), but health probes are not decisions, and neither
        // are the gateway's own endpoints (JWKS, login callback, logout) unless a stage turned the request away.
        // Decided here, once, for every stage: the stages apply to a public request for a path not reserved.
        boolean publicPort = publicListener.serves(exchange);
        boolean reserved = ReservedPaths.isReserved(exchange.getRequest().getPath().value());
        RequestContext context = RequestContext.attach(exchange,
                new RequestContext(newRequestId(), System.nanoTime(), started, publicPort && !reserved));
        Span span = context.stagesApply() ? tracer.start(exchange.getRequest()) : Span.getInvalid();
        context.traced(span.getSpanContext());
        AtomicBoolean done = new AtomicBoolean(!publicPort);
        exchange.getResponse().beforeCommit(() -> {
            exchange.getResponse().getHeaders().set("X-Request-Id", context.requestId());
            if (logged(context, reserved) && done.compareAndSet(false, true)) {
                HttpStatusCode status = exchange.getResponse().getStatusCode();
                ended(exchange, context, span, started, status == null ? 200 : status.value());
            }
            return Mono.empty();
        });
        return Mono.defer(() -> step(0, exchange, context, chain)).doFinally(signal -> {
            if (signal == SignalType.CANCEL && logged(context, reserved) && done.compareAndSet(false, true)) {
                ended(exchange, context, span, started, CLIENT_CLOSED);
            }
        });
    }

    /** The stages RECORD runs after itself, in order. */
    public List<RequestStage> stages() {
        return stages;
    }

    /** Step {@code i} and, as it says, the ones after it; after the last, the rest of the chain (routing). */
    private Mono<Void> step(int i, ServerWebExchange exchange, RequestContext context, WebFilterChain chain) {
        if (i == steps.length) {
            return chain.filter(exchange);
        }
        return steps[i].apply(exchange, context, next -> step(i + 1, next, context, chain));
    }

    /**
     * Whether this public-listener request gets a line: every routed request, and a request for a reserved path
     * once HYGIENE or AUTHENTICATE refused it, or such a refusal would hide behind a {@code /.gatehouse/} prefix.
     */
    private static boolean logged(RequestContext context, boolean reserved) {
        return !reserved || context.rejection() != null;
    }

    private void ended(ServerWebExchange exchange, RequestContext context, Span span, Instant started, int status) {
        writer.submit(event(exchange, context, started, status));
        Decision decision = context.decision();
        RequestTracer.finish(span, exchange.getRequest().getMethod().name(), status, context.routeId(),
                decision == null ? null : decision.outcome().wireName());
        timers.record(context.routeId(), status, System.nanoTime() - context.startNanos());
    }

    /**
     * A random (version 4) UUID from the thread's own generator: a request id names a request in logs and on error
     * pages and is no secret, and {@code UUID.randomUUID()} would take SecureRandom's lock and read /dev/urandom
     * on the event loop.
     */
    public static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0x3L << 62)) | (0x2L << 62);
        return new UUID(high, low).toString();
    }

    private DecisionLogEvent event(ServerWebExchange exchange, RequestContext context, Instant started, int status) {
        ServerHttpRequest request = exchange.getRequest();
        DecisionLogEvent.What what = new DecisionLogEvent.What(request.getMethod().name(), request.getURI().getHost(),
                request.getURI().getRawPath(), context.routeId());
        DevicePosture device = context.device();
        ConnectionTls tls = ConnectionTls.of(request);
        DecisionLogEvent.Where where = new DecisionLogEvent.Where(Addresses.sourceIp(request),
                request.getHeaders().getFirst("User-Agent"), device == null ? null : device.id(),
                device == null ? null : device.trust().wireName(), tls == null ? null : tls.protocol());
        String version = context.policyVersion();
        return line(started, context.requestId(), context.trace().isValid() ? context.trace().getTraceId() : null,
                who(context), what, why(context), shadow(context), where, status,
                (System.nanoTime() - context.startNanos()) / 1e6,
                version != null ? version : config.current().version(), context.assertionJti(), facts(context));
    }

    /** The request the policy decided, as the facts settings allow; null when the policy did not decide. */
    private @Nullable DecisionFacts facts(RequestContext context) {
        return facts(facts, context);
    }

    /** The facts of the request the policy decided in {@code context}, as {@code settings} allow; null when it did not. */
    static @Nullable DecisionFacts facts(DecisionFactsProperties settings, RequestContext context) {
        RequestContext.Asked asked = context.asked();
        return asked == null || context.decided() == null ? null : settings.facts(asked.request(), asked.claimsRead());
    }

    /** One decision-log line in docs/design.md's shape; also used for the requests Netty refused (DecoderRejections). */
    static DecisionLogEvent line(Instant started, String requestId, @Nullable String traceId,
                                 DecisionLogEvent.Who who, DecisionLogEvent.What what, DecisionLogEvent.Why why,
                                 DecisionLogEvent.Where where, int status, double latencyMs, String policyVersion,
                                 @Nullable String assertionJti) {
        return line(started, requestId, traceId, who, what, why, null, where, status, latencyMs, policyVersion,
                assertionJti, null);
    }

    /** As {@link #line}, with the shadow policy's disagreement (null: none, or no shadow). */
    static DecisionLogEvent line(Instant started, String requestId, @Nullable String traceId,
                                 DecisionLogEvent.Who who, DecisionLogEvent.What what, DecisionLogEvent.Why why,
                                 DecisionLogEvent.@Nullable Shadow shadow, DecisionLogEvent.Where where, int status,
                                 double latencyMs, String policyVersion, @Nullable String assertionJti) {
        return line(started, requestId, traceId, who, what, why, shadow, where, status, latencyMs, policyVersion,
                assertionJti, null);
    }

    /** As {@link #line}, with the shadow's disagreement and the decision facts (null: the policy did not decide). */
    static DecisionLogEvent line(Instant started, String requestId, @Nullable String traceId,
                                 DecisionLogEvent.Who who, DecisionLogEvent.What what, DecisionLogEvent.Why why,
                                 DecisionLogEvent.@Nullable Shadow shadow, DecisionLogEvent.Where where, int status,
                                 double latencyMs, String policyVersion, @Nullable String assertionJti,
                                 @Nullable DecisionFacts facts) {
        return new DecisionLogEvent(started.toString(), requestId, traceId, who, what, why, shadow, where,
                new DecisionLogEvent.Result(status, Math.round(latencyMs * 100) / 100.0),
                new DecisionLogEvent.Policy(policyVersion), assertionJti, facts, null, null);
    }

    static DecisionLogEvent.Who who(RequestContext context) {
        Identity identity = context.identity();
        // The hash lets one session's requests be followed through the log; the id itself would be a credential.
        return new DecisionLogEvent.Who(identity == null ? null : identity.sub(),
                identity == null ? null : identity.email(), identity == null ? List.of() : identity.groups(),
                context.authKind().name().toLowerCase(Locale.ROOT), context.sessionIdHash());
    }

    /** The shadow policy's decision when it disagrees with the decision in force; null otherwise. */
    static DecisionLogEvent.@Nullable Shadow shadow(RequestContext context) {
        RequestContext.Decided decided = context.decided();
        Disagreement disagreement = decided == null ? null : decided.disagreement();
        if (disagreement == null) {
            return null;
        }
        Decision shadow = Objects.requireNonNull(decided.shadow(), "a disagreement has a shadow decision");
        return new DecisionLogEvent.Shadow(shadow.outcome().wireName(), shadow.rule(),
                shadow.reasons().stream().map(Reason::text).toList(), disagreement.wireName());
    }

    static DecisionLogEvent.Why why(RequestContext context) {
        Decision decision = context.decision();
        Reason rejection = context.rejection();
        if (decision != null) {
            return new DecisionLogEvent.Why(decision.outcome().wireName(), decision.enforced(),
                    decision.mode().wireName(), decision.rule(),
                    decision.reasons().stream().map(Reason::text).toList());
        }
        // Turned away before DECIDE (hygiene, authentication), or failed before it: a deny that was enforced.
        return new DecisionLogEvent.Why("deny", true, null, null,
                rejection != null ? List.of(rejection.text()) : List.of("failed before a decision"));
    }
}
