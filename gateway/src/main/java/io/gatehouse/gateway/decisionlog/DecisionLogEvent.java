package io.gatehouse.gateway.decisionlog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.gatehouse.policy.replay.DecisionFacts;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One decision-log line (docs/design.md, "The decision log"), typed: the members and their order are the line's, so the
 * JSON written is the same as the documented shape. Only {@code who.session}, {@code shadow}, {@code via} and
 * {@code connection} are left out when absent; every other member is written, as {@code null} when unknown.
 * {@code shadow} is there only when the route's shadow policy decided otherwise than the policy in force
 * (docs/policy.md, "Shadow policy"); {@code via} only on the decision service's lines; {@code connection} only on the
 * line of a long-lived connection's re-decision (issue 22). No member carries a header value other than the
 * User-Agent, nor the query string, so no token, cookie or assertion can reach the log. {@code facts} is the request
 * the policy decided ({@link DecisionFacts}, for {@code gatehouse-policy replay}); null when the policy did not decide.
 */
@JsonPropertyOrder({"timestamp", "request_id", "trace_id", "who", "what", "why", "shadow", "where", "result", "policy",
        "assertion_jti", "facts", "via", "connection"})
public record DecisionLogEvent(
        @JsonProperty("timestamp") String timestamp,
        @JsonProperty("request_id") String requestId,
        @JsonProperty("trace_id") @Nullable String traceId,
        @JsonProperty("who") Who who,
        @JsonProperty("what") What what,
        @JsonProperty("why") Why why,
        @JsonProperty("shadow") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Shadow shadow,
        @JsonProperty("where") Where where,
        @JsonProperty("result") Result result,
        @JsonProperty("policy") Policy policy,
        @JsonProperty("assertion_jti") @Nullable String assertionJti,
        @JsonProperty("facts") @Nullable DecisionFacts facts,
        @JsonProperty("via") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Via via,
        @JsonProperty("connection") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Connection connection) {

    public DecisionLogEvent {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(who, "who");
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(why, "why");
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(policy, "policy");
    }

    /** A line of the public listener without a shadow disagreement, decision facts or connection. */
    public DecisionLogEvent(String timestamp, String requestId, @Nullable String traceId, Who who, What what, Why why,
                            Where where, Result result, Policy policy, @Nullable String assertionJti) {
        this(timestamp, requestId, traceId, who, what, why, null, where, result, policy, assertionJti, null, null, null);
    }

    /** This line as the decision service writes it: with {@code via}. */
    public DecisionLogEvent withVia(@Nullable Via via) {
        return new DecisionLogEvent(timestamp, requestId, traceId, who, what, why, shadow, where, result, policy,
                assertionJti, facts, via, connection);
    }

    /** This line as a long-lived connection's re-decision writes it: with {@code connection}. */
    public DecisionLogEvent withConnection(@Nullable Connection connection) {
        return new DecisionLogEvent(timestamp, requestId, traceId, who, what, why, shadow, where, result, policy,
                assertionJti, facts, via, connection);
    }

    /** Who asked; {@code session} (the session id's hash, never the id) only for browser sessions. */
    @JsonPropertyOrder({"subject", "email", "groups", "auth", "session"})
    public record Who(@JsonProperty("subject") @Nullable String subject, @JsonProperty("email") @Nullable String email,
                      @JsonProperty("groups") List<String> groups, @JsonProperty("auth") String auth,
                      @JsonProperty("session") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String session) {
    }

    /** What was asked: method, host, raw path (no query) and the decided route. */
    @JsonPropertyOrder({"method", "host", "path", "route"})
    public record What(@JsonProperty("method") @Nullable String method, @JsonProperty("host") @Nullable String host,
                       @JsonProperty("path") @Nullable String path, @JsonProperty("route") @Nullable String route) {
    }

    /** Why: the decision, whether it was enforced, the route's mode, the deciding rule and the reasons. */
    @JsonPropertyOrder({"decision", "enforced", "mode", "rule", "reasons"})
    public record Why(@JsonProperty("decision") String decision, @JsonProperty("enforced") boolean enforced,
                      @JsonProperty("mode") @Nullable String mode, @JsonProperty("rule") @Nullable String rule,
                      @JsonProperty("reasons") List<String> reasons) {
    }

    /**
     * What the route's shadow policy would have decided, written only when it disagrees with {@code why.decision}:
     * its decision, deciding rule (null when none matched) and reasons, and the direction of the disagreement,
     * {@code would-allow} (the policy in force denied) or {@code would-deny} (it allowed).
     */
    @JsonPropertyOrder({"decision", "rule", "reasons", "disagreement"})
    public record Shadow(@JsonProperty("decision") String decision, @JsonProperty("rule") @Nullable String rule,
                         @JsonProperty("reasons") List<String> reasons,
                         @JsonProperty("disagreement") String disagreement) {
        public Shadow {
            Objects.requireNonNull(decision, "decision");
            Objects.requireNonNull(disagreement, "disagreement");
            reasons = List.copyOf(reasons);
        }
    }

    /** Where from: source address, User-Agent, device and its trust, TLS protocol. */
    @JsonPropertyOrder({"source_ip", "user_agent", "device_id", "device_trust", "tls"})
    public record Where(@JsonProperty("source_ip") @Nullable String sourceIp,
                        @JsonProperty("user_agent") @Nullable String userAgent,
                        @JsonProperty("device_id") @Nullable String deviceId,
                        @JsonProperty("device_trust") @Nullable String deviceTrust,
                        @JsonProperty("tls") @Nullable String tls) {
    }

    /** The answer's status and the latency in milliseconds (two decimals). */
    @JsonPropertyOrder({"status", "latency_ms"})
    public record Result(@JsonProperty("status") int status, @JsonProperty("latency_ms") double latencyMs) {
    }

    /** The version (sha256) of the gatehouse.yaml in force. */
    public record Policy(@JsonProperty("version") String version) {
    }

    /**
     * The decision service's check (docs/design-next.md §2.5); absent on lines of the public listener.
     *
     * @param dialect        {@code envoy-grpc}, {@code envoy-http}, {@code nginx} or {@code forward-auth}
     * @param caller         the trusted (or refused) caller: its certificate SAN, else its IP address
     * @param proxyRequestId the proxy's own request id ({@code x-request-id}) when it sent one, so both logs join
     * @param peerPrincipal  Envoy's {@code attributes.source.principal} (the downstream client's SAN), logged only
     */
    @JsonPropertyOrder({"dialect", "caller", "proxy_request_id", "peer_principal"})
    public record Via(@JsonProperty("dialect") String dialect, @JsonProperty("caller") String caller,
                      @JsonProperty("proxy_request_id") @Nullable String proxyRequestId,
                      @JsonProperty("peer_principal") @Nullable String peerPrincipal) {
        public Via {
            Objects.requireNonNull(dialect, "dialect");
            Objects.requireNonNull(caller, "caller");
        }
    }

    /**
     * The long-lived connection a re-decision was about (docs/design.md, "Long-lived connections"): its kind, the
     * request id of its upgrade or request, what triggered the re-decision, its age in seconds, how many
     * re-decisions it had, whether it was cut, and how ({@code 1008}, {@code ended}, {@code reset}; null when not).
     */
    @JsonPropertyOrder({"kind", "id", "trigger", "age_s", "redecisions", "cut", "close"})
    public record Connection(@JsonProperty("kind") String kind, @JsonProperty("id") String id,
                             @JsonProperty("trigger") String trigger, @JsonProperty("age_s") double ageSeconds,
                             @JsonProperty("redecisions") int redecisions, @JsonProperty("cut") boolean cut,
                             @JsonProperty("close") @Nullable String close) {
        public Connection {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(trigger, "trigger");
        }
    }
}
