package io.gatehouse.gateway.decisionlog;

import io.gatehouse.gateway.RequestContext;
import io.gatehouse.gateway.exchange.RequestFacts;
import io.gatehouse.policy.DevicePosture;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Decision-log lines built from {@link RequestFacts} instead of an exchange (docs/design-next.md §1, §2.5): the
 * decision service writes one per check with the same schema as the public listener's, plus {@code via}.
 * {@code what} is the described request, {@code where.source_ip} the client address the proxy reported,
 * {@code where.tls} what the facts say (null when the proxy does not tell), {@code result.status} the status the
 * answer asks the proxy to give the client. Never a header value other than the User-Agent, never the query.
 */
public final class DecisionLogEvents {

    private DecisionLogEvents() {
    }

    /**
     * The line for one check.
     *
     * @param status        the status the answer asks for (200 allow, 302 login, 401, 403, ...)
     * @param latencyMs     the decision time
     * @param policyVersion the version in force when the request was not decided (refused before DECIDE)
     */
    public static DecisionLogEvent of(RequestContext context, RequestFacts facts, int status, double latencyMs,
                                      DecisionLogEvent.Via via, String policyVersion) {
        Objects.requireNonNull(via, "via");
        DecisionLogEvent.What what = new DecisionLogEvent.What(facts.method(), facts.hostName(), facts.rawPath(),
                context.routeId());
        DevicePosture device = context.device();
        DecisionLogEvent.Where where = new DecisionLogEvent.Where(facts.sourceIp(), facts.userAgent(),
                device == null ? null : device.id(), device == null ? null : device.trust().wireName(),
                facts.tlsProtocol());
        String version = context.policyVersion();
        Instant started = context.startedAt() != null ? context.startedAt() : Instant.now();
        DecisionLogEvent line = RecordWebFilter.line(started, context.requestId(),
                context.trace().isValid() ? context.trace().getTraceId() : null, RecordWebFilter.who(context), what,
                RecordWebFilter.why(context), where, status, latencyMs, version != null ? version : policyVersion,
                context.assertionJti());
        return withVia(line, via);
    }

    /**
     * The line for a check refused before any request facts were accepted (an untrusted caller, facts that are
     * missing or malformed): nothing about the described request, only who called, why it was refused and the
     * status answered.
     */
    public static DecisionLogEvent refusedCheck(String requestId, Instant at, DecisionLogEvent.Via via,
                                                String sourceIp, String reason, int status, double latencyMs,
                                                String policyVersion) {
        DecisionLogEvent line = RecordWebFilter.line(at, requestId, null,
                new DecisionLogEvent.Who(null, null, List.of(), "anonymous", null),
                new DecisionLogEvent.What(null, null, null, null),
                new DecisionLogEvent.Why("deny", true, null, null, List.of(reason)),
                new DecisionLogEvent.Where(sourceIp, null, null, null, null), status, latencyMs, policyVersion, null);
        return withVia(line, via);
    }

    private static DecisionLogEvent withVia(DecisionLogEvent line, DecisionLogEvent.@Nullable Via via) {
        return new DecisionLogEvent(line.timestamp(), line.requestId(), line.traceId(), line.who(), line.what(),
                line.why(), line.where(), line.result(), line.policy(), line.assertionJti(), via);
    }
}
