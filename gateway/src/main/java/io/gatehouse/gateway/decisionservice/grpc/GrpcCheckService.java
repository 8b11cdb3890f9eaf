package io.gatehouse.gateway.decisionservice.grpc;

import com.google.common.net.InetAddresses;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.gatehouse.gateway.decisionlog.DecisionLogEvent;
import io.gatehouse.gateway.decisionlog.DecisionLogEvents;
import io.gatehouse.gateway.decisionlog.DecisionLogWriter;
import io.gatehouse.gateway.decisionlog.RecordWebFilter;
import io.gatehouse.gateway.decisionservice.AuthzMetrics;
import io.gatehouse.gateway.decisionservice.Caller;
import io.gatehouse.gateway.decisionservice.DecisionPipeline;
import io.gatehouse.gateway.decisionservice.Outcome;
import io.gatehouse.gateway.exchange.RequestFacts;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import reactor.core.Disposable;
import reactor.core.Disposables;

/**
 * {@code envoy.service.auth.v3.Authorization/Check} (docs/design-next.md 2). Steps for one call, whose caller
 * {@link CallerInterceptor} already trusted:
 * <ol>
 *   <li>read the described request ({@link CheckRequests}); missing or malformed facts → a denied 400
 *       {@code authz-facts-invalid} and its log line;</li>
 *   <li>decide it ({@link DecisionPipeline#decide}) within {@code check-timeout}; a cancelled call (Envoy's own
 *       timeout passed) stops the decision;</li>
 *   <li>answer the rendered {@code CheckResponse} ({@link EnvoyAnswers}) and write one decision-log line with
 *       {@code via.dialect=envoy-grpc}, the caller, Envoy's {@code x-request-id} and {@code source.principal};</li>
 *   <li>a fault (an exception out of the pipeline, or the deadline passed) is no {@code CheckResponse} but the gRPC
 *       status INTERNAL or DEADLINE_EXCEEDED naming the request id, and a log line with status 500: Envoy with
 *       {@code failure_mode_allow: false} then denies. Nothing here answers OK without a decision.</li>
 *   <li>a call Envoy cancels (its own timeout passed) stops the decision and gets a log line with status 403 (what
 *       Envoy answers the client on an ext_authz failure) and reason {@code authz-check-cancelled}.</li>
 * </ol>
 */
public final class GrpcCheckService extends AuthorizationGrpc.AuthorizationImplBase {

    private static final Logger log = LoggerFactory.getLogger(GrpcCheckService.class);

    private final DecisionPipeline pipeline;
    private final EnvoyAnswers answers;
    private final AuthzMetrics metrics;
    private final DecisionLogWriter writer;
    private final Clock clock;
    private final Duration checkTimeout;

    public GrpcCheckService(DecisionPipeline pipeline, EnvoyAnswers answers, AuthzMetrics metrics,
                            DecisionLogWriter writer, Clock clock, Duration checkTimeout) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.answers = Objects.requireNonNull(answers, "answers");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.checkTimeout = Objects.requireNonNull(checkTimeout, "checkTimeout");
    }

    @Override
    public void check(CheckRequest request, StreamObserver<CheckResponse> responses) {
        long started = System.nanoTime();
        Caller caller = CallerInterceptor.CALLER.get();
        if (caller == null) {
            // Only reachable if the service were registered without its interceptor: fail closed.
            responses.onError(Status.INTERNAL.withDescription("gatehouse: no caller established").asRuntimeException());
            return;
        }
        CheckRequests.Described described = CheckRequests.describe(request);
        if (described instanceof CheckRequests.Invalid invalid) {
            refuseFacts(invalid, caller, request, responses, started);
            return;
        }
        EnvoyCheck check = ((CheckRequests.Valid) described).check();
        RequestFacts facts = facts(check);
        DecisionLogEvent.Via via = new DecisionLogEvent.Via(EnvoyAnswers.DIALECT, caller.name(),
                check.proxyRequestId(), check.peerPrincipal());
        // Exactly one of answer, fault and cancel ends a check, and writes its one log line.
        AtomicBoolean ended = new AtomicBoolean();
        Disposable.Swap decision = Disposables.swap();
        if (responses instanceof ServerCallStreamObserver<CheckResponse> call) {
            // Set before anything can answer: with a handler, a late onNext on a cancelled call is dropped.
            call.setOnCancelHandler(() -> {
                decision.dispose();
                if (ended.compareAndSet(false, true)) {
                    // Envoy gave up (its own timeout) and denies by itself: the line says so, with Envoy's 403.
                    refusedLine(RecordWebFilter.newRequestId(), via, facts.sourceIp(), "authz-check-cancelled: the"
                            + " caller cancelled the check (its timeout) before a decision", 403, started);
                    metrics.checked(EnvoyAnswers.DIALECT, "cancelled", since(started));
                }
            });
        }
        decision.update(pipeline.decide(facts, caller)
                .timeout(checkTimeout)
                .subscribe(outcome -> {
                    if (ended.compareAndSet(false, true)) {
                        answer(outcome, facts, via, responses, started);
                    }
                }, error -> {
                    if (ended.compareAndSet(false, true)) {
                        fault(error, facts, via, responses, started);
                    }
                }));
    }

    private void answer(Outcome outcome, RequestFacts facts, DecisionLogEvent.Via via,
                        StreamObserver<CheckResponse> responses, long started) {
        CheckResponse response;
        try {
            response = answers.render(outcome, facts);
        } catch (RuntimeException e) {
            fault(e, facts, via, responses, started);
            return;
        }
        pipeline.record(outcome, facts, via, outcome.verdict().status());
        metrics.checked(EnvoyAnswers.DIALECT, EnvoyAnswers.outcomeName(outcome.verdict()), since(started));
        responses.onNext(response);
        responses.onCompleted();
    }

    private void fault(Throwable error, RequestFacts facts, DecisionLogEvent.Via via,
                       StreamObserver<CheckResponse> responses, long started) {
        boolean late = error instanceof TimeoutException;
        String id = RecordWebFilter.newRequestId();
        String reason = late ? "authz-check-timeout: no decision within " + checkTimeout.toMillis() + " ms"
                : "authz-check-failed: " + error.getClass().getSimpleName();
        if (!late) {
            log.error("decision service: check {} of {} {}{} failed; answered INTERNAL", id, facts.method(),
                    facts.host(), facts.rawPath(), error);
        }
        refusedLine(id, via, facts.sourceIp(), reason, 500, started);
        metrics.checked(EnvoyAnswers.DIALECT, "error", since(started));
        Status status = late ? Status.DEADLINE_EXCEEDED : Status.INTERNAL;
        responses.onError(status.withDescription("gatehouse could not decide (" + reason + "), request id " + id)
                .asRuntimeException());
    }

    private void refuseFacts(CheckRequests.Invalid invalid, Caller caller, CheckRequest request,
                             StreamObserver<CheckResponse> responses, long started) {
        String id = RecordWebFilter.newRequestId();
        String principal = request.getAttributes().getSource().getPrincipal();
        DecisionLogEvent.Via via = new DecisionLogEvent.Via(EnvoyAnswers.DIALECT, caller.name(),
                invalid.proxyRequestId(), principal.isEmpty() ? null : principal);
        String source = request.getAttributes().getSource().getAddress().getSocketAddress().getAddress();
        // where.source_ip is an address; an unusable one (possibly the very fact refused) is logged as unknown.
        refusedLine(id, via, InetAddresses.isInetAddress(source) ? source : "0.0.0.0",
                CheckRequests.FACTS_INVALID + ": " + invalid.message(), 400, started);
        metrics.checked(EnvoyAnswers.DIALECT, "facts-invalid", since(started));
        responses.onNext(EnvoyAnswers.factsInvalid(invalid.message(), id, pipeline.policyVersion()));
        responses.onCompleted();
    }

    /** The one log line of a check answered before (or instead of) a decision, under the id the answer names. */
    private void refusedLine(String id, DecisionLogEvent.Via via, String sourceIp, String reason, int status,
                             long started) {
        writer.submit(DecisionLogEvents.refusedCheck(id, clock.instant(), via, sourceIp, reason, status,
                (System.nanoTime() - started) / 1e6, pipeline.policyVersion()));
    }

    /** The facts of the described request: Envoy verified the client's certificate, so it is a forwarded one. */
    static RequestFacts facts(EnvoyCheck check) {
        HttpHeaders headers = new HttpHeaders();
        check.headers().forEach(headers::addAll);
        return new RequestFacts(check.method(), check.scheme(), check.host(), check.rawPath(), check.rawQuery(),
                headers, check.sourceIp(), null, check.forwardedCertificate(), null);
    }

    private static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
