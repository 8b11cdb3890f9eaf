package io.gatehouse.gateway.longlived;

import io.gatehouse.gateway.config.LiveConfig;
import io.gatehouse.gateway.device.PostureClient;
import io.gatehouse.gateway.device.PostureLookup;
import io.gatehouse.gateway.session.SessionAuthenticator;
import io.gatehouse.gateway.session.SessionStoreUnavailableException;
import io.gatehouse.policy.CompiledConfig;
import io.gatehouse.policy.Decision;
import io.gatehouse.policy.DevicePosture;
import io.gatehouse.policy.Identity;
import io.gatehouse.policy.Reason;
import io.gatehouse.policy.Request;
import io.gatehouse.policy.RoutedDecision;
import io.gatehouse.policy.model.Route;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * One re-decision of a long-lived connection (docs/design.md, "Long-lived connections"), with the code the door
 * uses and the time now. Steps:
 * <ol>
 *   <li>credential → identity: a bearer token past its {@code exp} plus the door's clock skew is cut
 *       ({@code bearer-expired}) without asking the policy; a session is looked up again
 *       ({@link SessionAuthenticator#authenticateSessionId}, refreshing its tokens as for a request): gone → cut
 *       ({@code session-ended}); the store unreachable → tried again a quarter interval later, and cut
 *       ({@code session-store-unavailable}) only when that fails too, so one blip does not cut everything;</li>
 *   <li>device fingerprint → posture ({@link PostureClient}: cache, breaker, fail closed as "unknown");</li>
 *   <li>the policy request from the upgrade's facts, decided by the config in force
 *       ({@code CompiledConfig.decideRouted}): another route or upstream now → cut ({@code route-changed}); a deny
 *       that is enforced → cut ({@code denied}); an audit-mode deny is logged, not cut;</li>
 *   <li>else the next re-decision is due after the route's interval (±10 %), or at the bearer's expiry plus skew
 *       if earlier.</li>
 * </ol>
 * Every cut and every re-decision not caused by the interval is logged ({@link ConnectionLines}); an error that is
 * not the store's failure (a bug) cuts the connection rather than leave it unjudged.
 */
final class Redecider {

    private static final Logger LOG = LoggerFactory.getLogger(Redecider.class);

    private final LiveConfig config;
    private final @Nullable SessionAuthenticator sessions;
    private final PostureClient postures;
    private final Clock clock;
    private final LongLivedProperties properties;
    private final Duration bearerSkew;
    private final ConnectionLines lines;
    private final LongLivedMetrics metrics;

    Redecider(LiveConfig config, @Nullable SessionAuthenticator sessions, PostureClient postures, Clock clock,
              LongLivedProperties properties, Duration bearerSkew, ConnectionLines lines, LongLivedMetrics metrics) {
        this.config = Objects.requireNonNull(config, "config");
        this.sessions = sessions;
        this.postures = Objects.requireNonNull(postures, "postures");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.properties = Objects.requireNonNull(properties, "properties");
        this.bearerSkew = Objects.requireNonNull(bearerSkew, "bearerSkew");
        this.lines = Objects.requireNonNull(lines, "lines");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** When a connection opened now with this credential is first re-decided. */
    Instant firstDecisionAt(String routeId, Credential credential, Instant now) {
        return next(routeId, credential, now);
    }

    /** The bearer's last moment: {@code exp} plus the clock skew the door allows. */
    Instant bearerDeadline(Credential.Bearer bearer) {
        return bearer.expiresAt().plus(bearerSkew);
    }

    /** Re-decides {@code connection}, which the caller has {@link LongLivedConnection#claim() claimed}. */
    Mono<Void> redecide(LongLivedConnection connection, Trigger pushed) {
        long start = System.nanoTime();
        Instant now = clock.instant();
        Trigger trigger = pushed;
        if (connection.credential() instanceof Credential.Bearer bearer && !now.isBefore(bearerDeadline(bearer))) {
            Reason why = new Reason("bearer-expired", "the bearer token expired at " + bearer.expiresAt());
            return Mono.fromRunnable(() -> cut(connection, Trigger.BEARER_EXPIRED, bearer.identity(), null,
                    why, "bearer token expired", null, start, now));
        }
        return identity(connection, trigger)
                .flatMap(who -> posture(connection).doOnNext(device -> judge(connection, trigger, who.orElse(null),
                        device.orElse(null), start, now)))
                .onErrorResume(SessionStoreUnavailableException.class, e -> Mono.fromRunnable(
                        () -> storeUnavailable(connection, trigger, start, now)))
                .onErrorResume(e -> !(e instanceof Ended), e -> {
                    LOG.error("re-decision of connection {} failed; cutting it", connection.requestId(), e);
                    Reason why = new Reason("redecision-failed", "the re-decision failed: " + e);
                    return Mono.fromRunnable(() -> cut(connection, trigger, null, null, why, "re-decision failed",
                            null, start, now));
                })
                .onErrorResume(Ended.class, e -> Mono.empty())
                .then();
    }

    /** The identity now: a session's is looked up again; ended sessions are cut here (error {@link Ended}). */
    private Mono<Optional<Identity>> identity(LongLivedConnection connection, Trigger trigger) {
        Credential credential = connection.credential();
        if (credential instanceof Credential.Bearer bearer) {
            return Mono.just(Optional.of(bearer.identity()));
        }
        if (credential instanceof Credential.Session session) {
            if (sessions == null) {
                return Mono.error(new IllegalStateException("a session connection without browser sessions"));
            }
            return sessions.authenticateSessionId(session.id())
                    .map(found -> {
                        connection.storeAnswered();
                        return Optional.of(found.identity());
                    })
                    .switchIfEmpty(Mono.defer(() -> {
                        Instant now = clock.instant();
                        Reason why = new Reason("session-ended", "the session ended (logout, expiry or the IdP)");
                        Trigger seen = trigger == Trigger.LOGOUT || trigger == Trigger.BACKCHANNEL_LOGOUT ? trigger
                                : Trigger.SESSION_EXPIRED;
                        cut(connection, seen, null, null, why, "session ended", null,
                                System.nanoTime(), now);
                        return Mono.error(new Ended());
                    }));
        }
        return Mono.just(Optional.empty());
    }

    private Mono<Optional<PostureLookup>> posture(LongLivedConnection connection) {
        String sha256 = connection.deviceSha256();
        return sha256 == null ? Mono.just(Optional.empty()) : postures.posture(sha256).map(Optional::of);
    }

    private void judge(LongLivedConnection connection, Trigger trigger, @Nullable Identity who,
                       @Nullable PostureLookup device, long start, Instant now) {
        DevicePosture posture = device == null ? null : device.posture();
        List<Reason> notes = device == null || device.note() == null ? List.of() : List.of(device.note());
        connection.posture(posture);
        LongLivedConnection.Facts facts = connection.facts();
        CompiledConfig snapshot = config.current();
        RoutedDecision routed = snapshot.decideRouted(new Request(facts.method(), facts.url(), facts.sourceIp(), now,
                who, posture, notes));
        Decision decision = routed.decision();
        Route route = routed.route();
        ConnectionLines.Judged judged = new ConnectionLines.Judged(who, posture, decision, snapshot.version());
        if (route == null || !route.id().equals(connection.routeId()) || !route.to().equals(connection.upstream())) {
            Reason why = new Reason("route-changed", "the connection's route " + connection.routeId()
                    + " is gone or now sends it elsewhere");
            cut(connection, trigger, who, posture, why, "route changed", judged, start, now);
            return;
        }
        if (!decision.letThrough()) {
            String code = decision.reasons().isEmpty() ? "denied" : decision.reasons().get(0).code();
            cut(connection, trigger, who, posture, new Reason("denied", "denied"), "denied (" + code + ")", judged,
                    start, now);
            return;
        }
        metrics.redecided(connection, trigger, decision.enforced() ? "allow" : "audit-deny");
        if (trigger != Trigger.INTERVAL || properties.logAllowedRedecisions() || !decision.enforced()) {
            lines.write(connection, trigger, judged, null, start);
        }
        connection.release(next(connection.routeId(), connection.credential(), now), Trigger.INTERVAL);
    }

    private void storeUnavailable(LongLivedConnection connection, Trigger trigger, long start, Instant now) {
        if (connection.storeFailed() < 2) {
            // One failure is a blip: ask again a quarter interval later before cutting (design-next Q8).
            metrics.redecided(connection, trigger, "store-unavailable");
            connection.release(now.plus(properties.intervalFor(connection.routeId()).dividedBy(4)), Trigger.RETRY);
            return;
        }
        Reason why = new Reason("session-store-unavailable", "the session store could not be asked twice in a row");
        cut(connection, trigger, null, null, why, "session store unavailable", null, start, now);
    }

    private void cut(LongLivedConnection connection, Trigger trigger, @Nullable Identity who,
                     @Nullable DevicePosture posture, Reason why, String shortWhy,
                     ConnectionLines.@Nullable Judged judged, long start, Instant now) {
        String close = connection.cut(closeReason(shortWhy, connection.requestId()));
        if (close == null) {
            return; // cut already by another trigger
        }
        metrics.redecided(connection, trigger, "cut");
        metrics.cut(connection, why.code());
        ConnectionLines.Judged logged = judged != null ? judged
                : ConnectionLines.Judged.refused(who, posture, why, config.current().version());
        lines.write(connection, trigger, logged, close, start);
        LOG.info("long-lived connection {} ({} on route {}) cut after {}: {}", connection.requestId(),
                connection.kind().wireName(), connection.routeId(), Duration.between(connection.openedAt(), now),
                why.text());
    }

    /** The close frame's reason: at most 123 UTF-8 bytes (RFC 6455 5.5: a control frame's payload is ≤ 125). */
    static String closeReason(String shortWhy, String requestId) {
        String id = requestId.length() > 8 ? requestId.substring(0, 8) : requestId;
        String suffix = "; request " + id;
        String text = "gatehouse: " + shortWhy;
        int budget = 123 - suffix.length();
        StringBuilder out = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int size = new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes + size > budget) {
                break;
            }
            out.appendCodePoint(cp);
            bytes += size;
            i += Character.charCount(cp);
        }
        return out + suffix;
    }

    private Instant next(String routeId, Credential credential, Instant now) {
        long interval = properties.intervalFor(routeId).toMillis();
        long jitter = interval / 10;
        Instant next = now.plusMillis(interval - jitter + ThreadLocalRandom.current().nextLong(2 * jitter + 1));
        if (credential instanceof Credential.Bearer bearer && bearerDeadline(bearer).isBefore(next)) {
            return bearerDeadline(bearer);
        }
        return next;
    }

    /** The connection was cut while its identity was looked up; nothing more to do. */
    private static final class Ended extends RuntimeException {
        Ended() {
            super(null, null, false, false);
        }
    }
}
