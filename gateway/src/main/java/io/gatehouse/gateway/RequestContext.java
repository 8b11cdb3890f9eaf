package io.gatehouse.gateway;

import io.gatehouse.policy.Decision;
import io.gatehouse.policy.DevicePosture;
import io.gatehouse.policy.Identity;
import io.gatehouse.policy.Reason;
import io.gatehouse.policy.model.Route;
import io.opentelemetry.api.trace.SpanContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.web.server.ServerWebExchange;

/**
 * What the stages learn about one request, in one typed object stored once on the exchange. The RECORD stage
 * creates it; each later stage reads what earlier stages wrote and writes its own part; the decision log reads
 * it all at the end. It is confined to one request, whose stages run one after another, so it needs no locking.
 */
public final class RequestContext {

    /** How the caller was identified; {@code ANONYMOUS} when no credential was presented. */
    public enum AuthKind { SESSION, BEARER, ANONYMOUS }

    private static final String ATTRIBUTE = RequestContext.class.getName();

    private final String requestId;
    private final long startNanos;
    private AuthKind authKind = AuthKind.ANONYMOUS;
    private @Nullable Identity identity;
    private @Nullable String sessionIdHash;
    private @Nullable String certificateSha256;
    private @Nullable DevicePosture device;
    private final List<Reason> deviceNotes = new ArrayList<>();
    private @Nullable String routeId;
    private @Nullable Decision decision;
    private @Nullable String assertionJti;
    private @Nullable String assertionJwt;
    private @Nullable Reason rejection;
    private @Nullable String canonicalPath;
    private @Nullable Route route;
    private @Nullable String policyVersion;
    private SpanContext trace = SpanContext.getInvalid();
    private @Nullable Instant startedAt;

    public RequestContext(String requestId, long startNanos) {
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        this.startNanos = startNanos;
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

    public String requestId() { return requestId; }
    public long startNanos() { return startNanos; }
    /** When RECORD saw the request arrive (the decision-log line's timestamp); null before RECORD ran. */
    public @Nullable Instant startedAt() { return startedAt; }
    public void startedAt(Instant at) { this.startedAt = Objects.requireNonNull(at, "at"); }

    public AuthKind authKind() { return authKind; }
    public @Nullable Identity identity() { return identity; }
    public @Nullable String sessionIdHash() { return sessionIdHash; }

    /** Records who the caller is; {@code sessionIdHash} only for browser sessions. */
    public void authenticated(AuthKind kind, Identity who, @Nullable String sessionIdHash) {
        this.authKind = Objects.requireNonNull(kind, "kind");
        this.identity = Objects.requireNonNull(who, "who");
        this.sessionIdHash = sessionIdHash;
    }

    public @Nullable String certificateSha256() { return certificateSha256; }
    public @Nullable DevicePosture device() { return device; }
    public List<Reason> deviceNotes() { return List.copyOf(deviceNotes); }

    /** Records the presented device; {@code note} says why it counts unknown (inventory down, not enrolled), or null. */
    public void device(String certificateSha256, DevicePosture posture, @Nullable Reason note) {
        this.certificateSha256 = Objects.requireNonNull(certificateSha256, "certificateSha256");
        this.device = Objects.requireNonNull(posture, "posture");
        if (note != null) {
            deviceNotes.add(note);
        }
    }

    public @Nullable String routeId() { return routeId; }
    public @Nullable Decision decision() { return decision; }

    public void decided(Decision decision) {
        this.decision = Objects.requireNonNull(decision, "decision");
        this.routeId = decision.route();
    }

    public @Nullable String assertionJti() { return assertionJti; }

    /** The signed assertion for the upstream (FORWARD puts it on the wire), or null before ASSERT. */
    public @Nullable String assertionJwt() { return assertionJwt; }

    public void asserted(String jti, String jwt) {
        this.assertionJti = Objects.requireNonNull(jti, "jti");
        this.assertionJwt = Objects.requireNonNull(jwt, "jwt");
    }

    /** Why the request was turned away before the decision (hygiene, authentication), or null. */
    public @Nullable Reason rejection() { return rejection; }

    public void rejected(Reason why) {
        this.rejection = Objects.requireNonNull(why, "why");
    }

    /**
     * The request path as the HYGIENE stage accepted it: percent-decoded once, no dot segments, no empty segments,
     * no encoded separators. Policy path matching should use it, so that {@code /%61dmin} is seen as {@code /admin}.
     * Null until the HYGIENE stage has run (or when it rejected the request).
     */
    public @Nullable String canonicalPath() { return canonicalPath; }

    public void canonicalPath(String path) {
        this.canonicalPath = Objects.requireNonNull(path, "path");
    }

    /**
     * Records the decision together with the route it was made for and the version of the config that made it,
     * both from the same config snapshot, so that a reload between DECIDE and forwarding cannot send a request
     * decided under one config to an upstream of another. {@code route} is null when no route matched.
     */
    public void decided(Decision decision, @Nullable Route route, String policyVersion) {
        decided(decision);
        this.route = route;
        this.policyVersion = Objects.requireNonNull(policyVersion, "policyVersion");
    }

    /** The route the request was decided for (and is forwarded along), or null. */
    public @Nullable Route route() { return route; }

    /** The sha256 of the gatehouse.yaml that decided, or null before DECIDE. */
    public @Nullable String policyVersion() { return policyVersion; }

    /** The trace this request belongs to (its server span), or an invalid context when tracing is off. */
    public SpanContext trace() { return trace; }

    /** Set once by the RECORD stage, which starts the request's span. */
    public void traced(SpanContext trace) {
        this.trace = Objects.requireNonNull(trace, "trace");
    }
}
