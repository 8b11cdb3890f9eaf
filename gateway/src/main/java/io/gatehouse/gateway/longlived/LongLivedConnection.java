package io.gatehouse.gateway.longlived;

import io.gatehouse.policy.DevicePosture;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * One open long-lived connection as the {@link ConnectionRegistry} tracks it: fixed facts from its upgrade (request
 * id, route and upstream, what was asked and from where, the credential, the device) and the state of its
 * re-decisions (when the next is due, how many ran, whether one is in flight, a trigger pushed for it, whether it was
 * cut). The mutable parts are touched by the scheduler and the re-decision that holds the {@link #claim() claim}.
 */
final class LongLivedConnection {

    /** What kind of connection: the log's {@code connection.kind}. */
    enum Kind {
        WEBSOCKET, STREAM;

        String wireName() {
            return this == WEBSOCKET ? "websocket" : "stream";
        }
    }

    /** What was asked at the upgrade, for the policy request and the log line. */
    record Facts(String method, URI url, String sourceIp, @Nullable String host, @Nullable String rawPath,
                 @Nullable String userAgent, @Nullable String tls, int status) {
        Facts {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(sourceIp, "sourceIp");
        }
    }

    /** Ends the connection: a WebSocket close frame 1008 with {@code reason}, or the end of a stream. */
    interface Cutter {
        /** Starts the cut; returns the log's {@code connection.close} ({@code 1008}, {@code ended}, {@code reset}). */
        String cut(String reason);
    }

    private final String requestId;
    private final Kind kind;
    private final String routeId;
    private final URI upstream;
    private final Instant openedAt;
    private final Facts facts;
    private final Credential credential;
    private final @Nullable String deviceSha256;
    private final Cutter cutter;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final AtomicBoolean cut = new AtomicBoolean();
    private final AtomicInteger redecisions = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong claims = new java.util.concurrent.atomic.AtomicLong();
    private volatile Instant nextDecisionAt;
    private volatile @Nullable Trigger pushed;
    private volatile Trigger scheduled = Trigger.INTERVAL;
    private volatile @Nullable DevicePosture lastPosture;
    private volatile int storeFailures;

    LongLivedConnection(String requestId, Kind kind, String routeId, URI upstream, Instant openedAt, Facts facts,
                        Credential credential, @Nullable String deviceSha256, @Nullable DevicePosture posture,
                        Instant firstDecisionAt, Cutter cutter) {
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.routeId = Objects.requireNonNull(routeId, "routeId");
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.openedAt = Objects.requireNonNull(openedAt, "openedAt");
        this.facts = Objects.requireNonNull(facts, "facts");
        this.credential = Objects.requireNonNull(credential, "credential");
        this.deviceSha256 = deviceSha256;
        this.lastPosture = posture;
        this.nextDecisionAt = Objects.requireNonNull(firstDecisionAt, "firstDecisionAt");
        this.cutter = Objects.requireNonNull(cutter, "cutter");
    }

    String requestId() { return requestId; }
    Kind kind() { return kind; }
    String routeId() { return routeId; }
    URI upstream() { return upstream; }
    Instant openedAt() { return openedAt; }
    Facts facts() { return facts; }
    Credential credential() { return credential; }
    @Nullable String deviceSha256() { return deviceSha256; }
    Instant nextDecisionAt() { return nextDecisionAt; }
    int redecisions() { return redecisions.get(); }
    boolean isCut() { return cut.get(); }
    @Nullable DevicePosture lastPosture() { return lastPosture; }

    /** Whether a re-decision is due at {@code now}: its time came, or a trigger was pushed. */
    boolean due(Instant now) {
        return !cut.get() && (pushed != null || !now.isBefore(nextDecisionAt));
    }

    /** Asks for a re-decision at the next tick, for this reason (a later push replaces an earlier one). */
    void push(Trigger trigger) {
        pushed = trigger;
    }

    /**
     * Takes the right to re-decide now: a claim number, or 0 when one is in flight. End it with {@link #release}
     * (and always {@link #unclaim}).
     */
    long claim() {
        return inFlight.compareAndSet(false, true) ? claims.incrementAndGet() : 0;
    }

    /** The trigger this re-decision answers: a pushed one (taken), else the one it was scheduled for. */
    Trigger takeTrigger() {
        Trigger trigger = pushed;
        pushed = null;
        return trigger != null ? trigger : scheduled;
    }

    /** Ends a re-decision that let the connection go on: the next is due at {@code next}, for {@code why}. */
    void release(Instant next, Trigger why) {
        redecisions.incrementAndGet();
        scheduled = why;
        nextDecisionAt = next;
        inFlight.set(false);
    }

    /**
     * After a re-decision ended, however it ended: when it did not {@link #release} (a bug, a cancel), the
     * connection is due again at {@code now} rather than never judged again.
     */
    void unclaim(long claim, Instant now) {
        if (claims.get() == claim && inFlight.get() && !cut.get()) {
            nextDecisionAt = now;
            inFlight.set(false);
        }
    }

    void posture(@Nullable DevicePosture posture) {
        lastPosture = posture;
    }

    /** Counts a failed session-store lookup; returns how many failed in a row. */
    int storeFailed() {
        return ++storeFailures;
    }

    void storeAnswered() {
        storeFailures = 0;
    }

    /** Cuts once; returns the log's {@code close} value, or null when it was cut already. */
    @Nullable String cut(String reason) {
        if (!cut.compareAndSet(false, true)) {
            return null;
        }
        return cutter.cut(reason);
    }
}
