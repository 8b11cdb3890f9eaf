package io.gatehouse.gateway;

import io.gatehouse.policy.ClaimsRead;
import io.gatehouse.policy.Decision;
import io.gatehouse.policy.Disagreement;
import io.gatehouse.policy.DevicePosture;
import io.gatehouse.policy.Identity;
import io.gatehouse.policy.Reason;
import io.gatehouse.policy.Request;
import io.gatehouse.policy.model.Route;
import io.opentelemetry.api.trace.SpanContext;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.web.server.ServerWebExchange;

/**
 * What the stages learn about one request, in one typed object stored once on the exchange. The RECORD stage
 * creates it and decides whether the stages apply at all ({@link #stagesApply()}); each later stage writes its own
 * result, a value written once ({@link Authentication}, {@link DeviceFacts}, {@link Decided}, {@link Asserted}, the
 * canonical path, the rejection) — a second write is a bug in the stage order and throws
 * {@link IllegalStateException}, which the error handler answers 500. Later stages read what earlier ones wrote; the
 * decision log reads it all at the end. It is confined to one request, whose stages run one after another, so it needs
 * no locking.
 */
public final class RequestContext {

    /** How the caller was identified; {@code ANONYMOUS} when no credential was presented. */
    public enum AuthKind { SESSION, BEARER, ANONYMOUS }

    /** AUTHENTICATE's result: who the caller is; {@code sessionIdHash} only for browser sessions. */
    public record Authentication(AuthKind kind, Identity identity, @Nullable String sessionIdHash) {
        public Authentication {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(identity, "identity");
        }
    }

    /** DEVICE's result: the presented certificate, its posture, and why it counts unknown (empty when it does not). */
    public record DeviceFacts(String certificateSha256, DevicePosture posture, List<Reason> notes) {
        public DeviceFacts {
            Objects.requireNonNull(certificateSha256, "certificateSha256");
            Objects.requireNonNull(posture, "posture");
            notes = List.copyOf(notes);
        }
    }

    /**
     * DECIDE's result: the decision with the route it was made for and the version of the config that made it, both
     * from the same config snapshot, so that a reload between DECIDE and forwarding cannot send a request decided under
     * one config to an upstream of another. {@code route} is null when no route matched. {@code shadow} is what the
     * route's shadow policy would have decided (docs/policy.md, "Shadow policy"), null without one; it never acts.
     */
    public record Decided(Decision decision, @Nullable Route route, String policyVersion, @Nullable Decision shadow) {
        public Decided {
            Objects.requireNonNull(decision, "decision");
            Objects.requireNonNull(policyVersion, "policyVersion");
        }

        /** How the shadow disagrees with the decision; null without a shadow or when both decided alike. */
        public @Nullable Disagreement disagreement() {
            return Disagreement.of(decision, shadow);
        }
    }

    /**
     * What DECIDE asked the policy: the request exactly as the policy saw it, and the claims the config that decided
     * can read, for the decision log's facts (docs/operations.md, "Decision facts (for replay)").
     */
    public record Asked(Request request, ClaimsRead claimsRead) {
        public Asked {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(claimsRead, "claimsRead");
        }
    }

    /** ASSERT's result: the signed assertion for the upstream (FORWARD puts it on the wire) and its id. */
    public record Asserted(String jti, String jwt) {
        public Asserted {
            Objects.requireNonNull(jti, "jti");
            Objects.requireNonNull(jwt, "jwt");
        }
    }

    private static final String ATTRIBUTE = RequestContext.class.getName();

    private final String requestId;
    private final long startNanos;
    private final @Nullable Instant startedAt;
    private final boolean stagesApply;
    private SpanContext trace = SpanContext.getInvalid();
    private boolean traced;
    private @Nullable String canonicalPath;
    private @Nullable Reason rejection;
    private @Nullable Authentication authentication;
    private @Nullable DeviceFacts deviceFacts;
    private @Nullable Decided decided;
    private @Nullable Asked asked;
    private @Nullable Asserted asserted;

    /** A context whose stages apply and whose arrival time is unknown (unit tests, the decoder-rejection hook). */
    public RequestContext(String requestId, long startNanos) {
        this(requestId, startNanos, null, true);
    }

    /**
     * RECORD's part, fixed at creation: the request id, when the request arrived ({@code startNanos} for latency,
     * {@code startedAt} for the log line's timestamp), and whether the stages apply to it at all: a request on the
     * public listener for a path that is not reserved for the gateway ({@code exchange.ReservedPaths}).
     */
    public RequestContext(String requestId, long startNanos, @Nullable Instant startedAt, boolean stagesApply) {
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        this.startNanos = startNanos;
        this.startedAt = startedAt;
        this.stagesApply = stagesApply;
    }

    /** Stores a new context on the exchange; called once, by the RECORD stage. */
    public static RequestContext attach(ServerWebExchange exchange, RequestContext context) {
        exchange.getAttributes().put(ATTRIBUTE, context);
        return context;
    }

    /** The context of this exchange; a missing one is a bug in the stage order, so it throws. */
    public static RequestContext of(ServerWebExchange exchange) {
        RequestContext context = exchange.getAttribute(ATTRIBUTE);
        if (context == null) {
            throw new IllegalStateException("no RequestContext on the exchange: the RECORD stage did not run first");
        }
        return context;
    }

    /** The context of this exchange, or null when RECORD has not run (e.g. an error before it, or the management port). */
    public static @Nullable RequestContext find(ServerWebExchange exchange) {
        return exchange.getAttribute(ATTRIBUTE);
    }

    private static <T> T once(@Nullable Object current, T value, String what) {
        if (current != null) {
            throw new IllegalStateException(what + " is already recorded for this request: a stage ran twice");
        }
        return Objects.requireNonNull(value, what);
    }

    public String requestId() { return requestId; }
    public long startNanos() { return startNanos; }
    /** When RECORD saw the request arrive (the decision-log line's timestamp); null when RECORD did not make it. */
    public @Nullable Instant startedAt() { return startedAt; }

    /**
     * Whether the stages after RECORD judge this request: decided once by RECORD, true for a request on the public
     * listener whose path is not reserved for the gateway. DECIDE (and so ASSERT) pass the others through.
     */
    public boolean stagesApply() { return stagesApply; }

    /** AUTHENTICATE's result, or null (anonymous, or AUTHENTICATE has not run). */
    public @Nullable Authentication authentication() { return authentication; }
    public AuthKind authKind() { return authentication == null ? AuthKind.ANONYMOUS : authentication.kind(); }
    public @Nullable Identity identity() { return authentication == null ? null : authentication.identity(); }
    public @Nullable String sessionIdHash() { return authentication == null ? null : authentication.sessionIdHash(); }

    /** Records who the caller is; {@code sessionIdHash} only for browser sessions. Once per request. */
    public void authenticated(AuthKind kind, Identity who, @Nullable String sessionIdHash) {
        this.authentication = once(authentication, new Authentication(kind, who, sessionIdHash), "authentication");
    }

    /** DEVICE's result, or null (no certificate presented, or DEVICE has not run). */
    public @Nullable DeviceFacts deviceFacts() { return deviceFacts; }
    public @Nullable String certificateSha256() { return deviceFacts == null ? null : deviceFacts.certificateSha256(); }
    public @Nullable DevicePosture device() { return deviceFacts == null ? null : deviceFacts.posture(); }
    public List<Reason> deviceNotes() { return deviceFacts == null ? List.of() : deviceFacts.notes(); }

    /**
     * Records the presented device; {@code note} says why it counts unknown (inventory down, not enrolled), or null.
     * Once per request.
     */
    public void device(String certificateSha256, DevicePosture posture, @Nullable Reason note) {
        this.deviceFacts = once(deviceFacts,
                new DeviceFacts(certificateSha256, posture, note == null ? List.of() : List.of(note)), "device");
    }

    /** DECIDE's result, or null before DECIDE (or when it did not judge this request). */
    public @Nullable Decided decided() { return decided; }
    public @Nullable Decision decision() { return decided == null ? null : decided.decision(); }
    public @Nullable String routeId() { return decided == null ? null : decided.decision().route(); }

    /** The route the request was decided for (and is forwarded along), or null. */
    public @Nullable Route route() { return decided == null ? null : decided.route(); }

    /** The sha256 of the gatehouse.yaml that decided, or null before DECIDE. */
    public @Nullable String policyVersion() { return decided == null ? null : decided.policyVersion(); }

    /** Records DECIDE's result ({@link Decided}) for a route without a shadow policy. Once per request. */
    public void decided(Decision decision, @Nullable Route route, String policyVersion) {
        decided(decision, route, policyVersion, null);
    }

    /** Records DECIDE's result ({@link Decided}) with the shadow policy's decision. Once per request. */
    public void decided(Decision decision, @Nullable Route route, String policyVersion, @Nullable Decision shadow) {
        this.decided = once(decided, new Decided(decision, route, policyVersion, shadow), "decision");
    }

    /** The request DECIDE asked the policy about, or null before DECIDE (or when it did not judge this request). */
    public @Nullable Asked asked() { return asked; }

    /** Records what DECIDE asks the policy, before it decides. Once per request. */
    public void asked(Request request, ClaimsRead claimsRead) {
        this.asked = once(asked, new Asked(request, claimsRead), "policy request");
    }

    /** ASSERT's result, or null before ASSERT. */
    public @Nullable Asserted asserted() { return asserted; }
    public @Nullable String assertionJti() { return asserted == null ? null : asserted.jti(); }

    /** The signed assertion for the upstream (FORWARD puts it on the wire), or null before ASSERT. */
    public @Nullable String assertionJwt() { return asserted == null ? null : asserted.jwt(); }

    /** Records ASSERT's result. Once per request. */
    public void asserted(String jti, String jwt) {
        this.asserted = once(asserted, new Asserted(jti, jwt), "assertion");
    }

    /** Why the request was turned away before the decision (hygiene, authentication), or null. */
    public @Nullable Reason rejection() { return rejection; }

    /** Records why HYGIENE or AUTHENTICATE turned the request away. Once per request. */
    public void rejected(Reason why) {
        this.rejection = once(rejection, why, "rejection");
    }

    /**
     * The request path as the HYGIENE stage accepted it: percent-decoded once, no dot segments, no empty segments,
     * no encoded separators. Policy path matching should use it, so that {@code /%61dmin} is seen as {@code /admin}.
     * Null until the HYGIENE stage has run (or when it rejected the request).
     */
    public @Nullable String canonicalPath() { return canonicalPath; }

    /** Records HYGIENE's result. Once per request. */
    public void canonicalPath(String path) {
        this.canonicalPath = once(canonicalPath, path, "canonical path");
    }

    /** The trace this request belongs to (its server span), or an invalid context when tracing is off. */
    public SpanContext trace() { return trace; }

    /** Set once by the RECORD stage, which starts the request's span. */
    public void traced(SpanContext trace) {
        if (traced) {
            throw new IllegalStateException("trace is already recorded for this request: a stage ran twice");
        }
        this.trace = Objects.requireNonNull(trace, "trace");
        this.traced = true;
    }
}
