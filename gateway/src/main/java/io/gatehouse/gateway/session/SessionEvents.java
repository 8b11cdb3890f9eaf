package io.gatehouse.gateway.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * "This session ended", told to every replica (issue 22; docs/design.md, "Long-lived connections"), so that a
 * WebSocket opened with the session is cut at once wherever it is held. {@link BrowserSessions} publishes an
 * {@link Ended} whenever it deletes a session (logout, a login replacing the previous session, expiry, a refused
 * refresh) or a back-channel logout ends it. Only the session id's hash travels, never the id. Two kinds:
 * <ul>
 *   <li>{@link #inMemory}: one replica, sessions in memory: a hot in-process stream;</li>
 *   <li>{@link #redis}: sessions shared through Redis: {@code PUBLISH gatehouse:session-ended "<kind> <hash>"}, every
 *       replica subscribed. Pub/sub is at-most-once: a replica (re)subscribing emits a {@linkplain Ended#sweep()
 *       sweep} first, so its listeners re-check every session they hold; a message lost in between is bounded by
 *       the re-decision interval.</li>
 * </ul>
 * Publishing never fails the caller: a logout whose event cannot be sent still ends the session (the interval
 * catches up), and the failure is logged and counted in {@code gatehouse_sessions_events_total{direction="lost"}}.
 */
public abstract class SessionEvents {

    static final String CHANNEL = "gatehouse:session-ended";
    private static final Logger LOG = LoggerFactory.getLogger(SessionEvents.class);

    /** How a session ended; {@code SWEEP}: events may have been missed, re-check every session. */
    public enum Kind {
        LOGOUT, BACKCHANNEL_LOGOUT, SWEEP;

        String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static @Nullable Kind parse(String wire) {
            for (Kind kind : values()) {
                if (kind.wireName().equals(wire)) {
                    return kind;
                }
            }
            return null;
        }
    }

    /** A session ended ({@code sessionIdHash} = {@link BrowserSessions#hash}); for a sweep, the hash is null. */
    public record Ended(Kind kind, @Nullable String sessionIdHash) {
        public Ended {
            Objects.requireNonNull(kind, "kind");
            if ((kind == Kind.SWEEP) != (sessionIdHash == null)) {
                throw new IllegalArgumentException("a sweep has no session, every other event has one");
            }
        }

        static Ended sweep() {
            return new Ended(Kind.SWEEP, null);
        }
    }

    private final Counter sent;
    private final Counter received;
    private final Counter lost;

    SessionEvents(MeterRegistry meters) {
        this.sent = counter(meters, "sent");
        this.received = counter(meters, "received");
        this.lost = counter(meters, "lost");
    }

    private static Counter counter(MeterRegistry meters, String direction) {
        return Counter.builder("gatehouse.sessions.events").tag("direction", direction)
                .description("session-ended events: sent, received (on this replica), lost (could not be sent)")
                .register(meters);
    }

    /** Tells every replica; completes when sent (or given up on), never with an error. */
    public final Mono<Void> publish(Ended event) {
        return send(event).doOnSuccess(v -> sent.increment()).onErrorResume(e -> {
            lost.increment();
            LOG.warn("session {} ended, but the other replicas could not be told ({}); their connections of it end"
                    + " at their next re-decision", event.sessionIdHash(), e.toString());
            return Mono.empty();
        });
    }

    /** Every session ended on any replica, from subscription on (hot); a sweep first, and after every resubscription. */
    public final Flux<Ended> ended() {
        return receive().doOnNext(e -> {
            if (e.kind() != Kind.SWEEP) {
                received.increment();
            }
        });
    }

    abstract Mono<Void> send(Ended event);

    abstract Flux<Ended> receive();

    /** One replica: events stay in this process. */
    public static SessionEvents inMemory(MeterRegistry meters) {
        return new SessionEvents(meters) {
            private final Sinks.Many<Ended> sink = Sinks.many().multicast().directBestEffort();

            @Override
            Mono<Void> send(Ended event) {
                return Mono.fromRunnable(() -> sink.emitNext(event, Sinks.EmitFailureHandler.busyLooping(
                        Duration.ofMillis(100))));
            }

            @Override
            Flux<Ended> receive() {
                return Flux.concat(Mono.just(Ended.sweep()), sink.asFlux());
            }
        };
    }

    /** Replicas sharing sessions through Redis: pub/sub on {@value #CHANNEL}, resubscribing with back-off. */
    public static SessionEvents redis(ReactiveStringRedisTemplate redis, MeterRegistry meters) {
        return new SessionEvents(meters) {
            @Override
            Mono<Void> send(Ended event) {
                return redis.convertAndSend(CHANNEL, event.kind().wireName() + " " + event.sessionIdHash()).then();
            }

            @Override
            Flux<Ended> receive() {
                return Flux.defer(() -> Flux.concat(Mono.just(Ended.sweep()),
                                redis.listenToChannel(CHANNEL).mapNotNull(message -> parse(message.getMessage()))))
                        .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(500)).maxBackoff(Duration.ofSeconds(10))
                                .doBeforeRetry(s -> LOG.warn("session-ended channel lost ({}); resubscribing",
                                        s.failure().toString())));
            }
        };
    }

    static @Nullable Ended parse(String message) {
        int space = message.indexOf(' ');
        Kind kind = space < 0 ? null : Kind.parse(message.substring(0, space));
        String hash = space < 0 ? "" : message.substring(space + 1);
        if (kind == null || kind == Kind.SWEEP || !hash.matches("[0-9a-f]{32}")) {
            LOG.warn("ignoring a malformed message on {}: {}", CHANNEL,
                    message.length() > 80 ? message.substring(0, 80) + "…" : message);
            return null;
        }
        return new Ended(kind, hash);
    }
}
