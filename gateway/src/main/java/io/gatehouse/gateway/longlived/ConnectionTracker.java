package io.gatehouse.gateway.longlived;

import com.nimbusds.jwt.JWTParser;
import io.gatehouse.gateway.RequestContext;
import io.gatehouse.gateway.config.LiveConfig;
import io.gatehouse.gateway.decision.PolicyRequests;
import io.gatehouse.gateway.device.PostureClient;
import io.gatehouse.gateway.device.PostureLookup;
import io.gatehouse.gateway.session.SessionCookies;
import io.gatehouse.gateway.session.SessionEvents;
import io.gatehouse.gateway.tls.ConnectionTls;
import io.gatehouse.policy.Identity;
import io.gatehouse.policy.Request;
import io.gatehouse.policy.model.Route;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Opens, watches and forgets long-lived connections (docs/design.md, "Long-lived connections"). {@link #open} turns
 * a decided upgrade into a {@link LongLivedConnection} in the bounded {@link ConnectionRegistry}. One scheduler
 * thread ticks every {@value #TICK_MS} ms and:
 * <ol>
 *   <li>notices a new config version (a reload) and marks every connection for re-decision ({@code reload});</li>
 *   <li>every {@code gatehouse.inventory.cache-ttl}, asks the posture of each device with open connections (through
 *       the posture client's cache, which requests share) and marks the connections of a device whose answered
 *       posture changed ({@code posture}); an unreachable inventory waits for the interval, which then judges as
 *       the door would;</li>
 *   <li>starts the re-decisions that are due, at most {@code max-concurrent-redecisions} in flight; the rest stay due
 *       for the next tick;</li>
 *   <li>runs the {@link #after} tasks whose time has come (a response body still being written after
 *       {@code stream-after} becomes a tracked stream).</li>
 * </ol>
 * Session-ended events ({@link SessionEvents}, from every replica when sessions are in Redis) mark a session's
 * connections at once (logout, back-channel logout).
 */
public final class ConnectionTracker implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionTracker.class);
    static final long TICK_MS = 200;

    private final ConnectionRegistry registry;
    private final Redecider redecider;
    private final LiveConfig config;
    private final PostureClient postures;
    private final Duration postureEvery;
    private final Clock clock;
    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final @Nullable SessionEvents sessionEvents;
    private volatile @Nullable Disposable ticking;
    private volatile @Nullable Disposable listening;
    private volatile @Nullable Scheduler scheduler;
    private String seenVersion;
    private Instant nextPosturePoll = Instant.MIN;
    private final TickedDelays delays = new TickedDelays(System::nanoTime);

    ConnectionTracker(ConnectionRegistry registry, Redecider redecider, LiveConfig config, PostureClient postures,
                      Duration postureEvery, Clock clock, int maxInFlight, @Nullable SessionEvents sessionEvents) {
        this.sessionEvents = sessionEvents;
        this.registry = Objects.requireNonNull(registry, "registry");
        this.redecider = Objects.requireNonNull(redecider, "redecider");
        this.config = Objects.requireNonNull(config, "config");
        this.postures = Objects.requireNonNull(postures, "postures");
        this.postureEvery = Objects.requireNonNull(postureEvery, "postureEvery");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxInFlight = maxInFlight;
        this.seenVersion = config.current().version();
    }

    /**
     * Tracks the upgrade of this decided exchange; null when {@code max-connections} are open (the caller refuses
     * it). {@code cutter} ends it when a re-decision no longer allows it.
     */
    @Nullable LongLivedConnection open(ServerWebExchange exchange, RequestContext context, LongLivedConnection.Kind kind,
                                       int status, LongLivedConnection.Cutter cutter) {
        Route route = Objects.requireNonNull(context.route(), "a tracked connection has a route");
        Instant now = clock.instant();
        ServerHttpRequest request = exchange.getRequest();
        Request asked = PolicyRequests.from(exchange, context, now);
        ConnectionTls tls = ConnectionTls.of(request);
        LongLivedConnection.Facts facts = new LongLivedConnection.Facts(asked.method(), asked.url(), asked.sourceIp(),
                request.getURI().getHost(), request.getURI().getRawPath(),
                request.getHeaders().getFirst(HttpHeaders.USER_AGENT), tls == null ? null : tls.protocol(), status);
        Credential credential = credential(exchange, context, now);
        LongLivedConnection connection = new LongLivedConnection(context.requestId(), kind, route.id(), route.to(),
                now, facts, credential, context.certificateSha256(), context.device(),
                redecider.firstDecisionAt(route.id(), credential, now), cutter);
        return registry.open(connection) ? connection : null;
    }

    /**
     * Runs {@code task} on the ticker's thread once {@code delay} has passed (up to one tick later), unless the
     * returned handle is run first; see {@link TickedDelays} for why not a timer.
     */
    Runnable after(Duration delay, Runnable task) {
        return delays.after(delay, task);
    }

    /** The connection ended (however): forget it. */
    void closed(LongLivedConnection connection) {
        registry.closed(connection);
    }

    /**
     * Re-decides every connection of the ended session at the next tick ({@code logout} or
     * {@code backchannel-logout}); a sweep (events may have been missed) re-decides every session connection.
     */
    void sessionEnded(SessionEvents.Ended event) {
        if (event.kind() == SessionEvents.Kind.SWEEP) {
            registry.all().stream().filter(c -> c.credential() instanceof Credential.Session)
                    .forEach(c -> c.push(Trigger.SWEEP));
            return;
        }
        Trigger trigger = event.kind() == SessionEvents.Kind.BACKCHANNEL_LOGOUT ? Trigger.BACKCHANNEL_LOGOUT
                : Trigger.LOGOUT;
        List<LongLivedConnection> ended = registry.withSession(Objects.requireNonNull(event.sessionIdHash()));
        ended.forEach(connection -> connection.push(trigger));
        Scheduler ticker = scheduler;
        if (!ended.isEmpty() && ticker != null) {
            ticker.schedule(this::tick); // now, not at the next tick: on the ticker's one thread, like every tick
        }
    }

    private static Credential credential(ServerWebExchange exchange, RequestContext context, Instant now) {
        Identity identity = context.identity();
        return switch (context.authKind()) {
            case SESSION -> {
                String id = SessionCookies.read(exchange, SessionCookies.SESSION);
                String hash = context.sessionIdHash();
                // AUTHENTICATE read this cookie a moment ago; without it the connection is judged anonymous.
                yield id == null || hash == null ? new Credential.Anonymous() : new Credential.Session(id, hash);
            }
            case BEARER -> new Credential.Bearer(Objects.requireNonNull(identity, "identity"),
                    bearerExpiry(exchange, now));
            case ANONYMOUS -> new Credential.Anonymous();
        };
    }

    /**
     * The {@code exp} of the bearer token AUTHENTICATE verified a moment ago (read again, unverified, from the same
     * header); only the instant is kept, never the token. Unreadable: now, so the connection ends at the first look.
     */
    private static Instant bearerExpiry(ServerWebExchange exchange, Instant now) {
        String value = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        try {
            java.util.Date exp = JWTParser.parse(Objects.requireNonNull(value).substring(6).trim()).getJWTClaimsSet()
                    .getExpirationTime();
            return exp == null ? now : exp.toInstant();
        } catch (Exception e) {
            return now;
        }
    }

    void tick() {
        try {
            Instant now = clock.instant();
            String version = config.current().version();
            if (!version.equals(seenVersion)) {
                seenVersion = version;
                registry.all().forEach(c -> c.push(Trigger.RELOAD));
            }
            if (!now.isBefore(nextPosturePoll)) {
                nextPosturePoll = now.plus(postureEvery);
                pollPostures();
            }
            delays.tick();
            for (LongLivedConnection connection : registry.due(now)) {
                if (inFlight.get() >= maxInFlight) {
                    break; // the rest stay due for the next tick
                }
                long claim = connection.claim();
                if (claim != 0) {
                    inFlight.incrementAndGet();
                    Trigger trigger = connection.takeTrigger();
                    redecider.redecide(connection, trigger)
                            .doFinally(signal -> {
                                inFlight.decrementAndGet();
                                connection.unclaim(claim, clock.instant());
                            })
                            .subscribe(ignored -> { }, e -> LOG.error("re-decision of {} failed",
                                    connection.requestId(), e));
                }
            }
        } catch (RuntimeException e) {
            // The ticker must keep ticking: a connection left unjudged would be a standing pass.
            LOG.error("long-lived connection tick failed", e);
        }
    }

    private void pollPostures() {
        Map<String, List<LongLivedConnection>> byDevice = new HashMap<>();
        for (LongLivedConnection connection : registry.all()) {
            String sha256 = connection.deviceSha256();
            if (sha256 != null && !connection.isCut()) {
                byDevice.computeIfAbsent(sha256, k -> new java.util.ArrayList<>()).add(connection);
            }
        }
        byDevice.forEach((sha256, connections) -> postures.posture(sha256).subscribe(lookup -> {
            if (lookup.note() != null && PostureLookup.UNREACHABLE.equals(lookup.note().code())) {
                return; // the inventory's outage is judged by the interval re-decision, as the door would
            }
            for (LongLivedConnection connection : connections) {
                if (!lookup.posture().equals(connection.lastPosture())) {
                    connection.push(Trigger.POSTURE);
                }
            }
        }, e -> LOG.error("posture poll for long-lived connections failed", e)));
    }

    @Override
    public void start() {
        Scheduler single = Schedulers.newSingle("gatehouse-long-lived", true);
        scheduler = single;
        ticking = Flux.interval(Duration.ofMillis(TICK_MS), single).subscribe(i -> tick());
        if (sessionEvents != null) {
            listening = sessionEvents.ended().subscribe(this::sessionEnded,
                    e -> LOG.error("session-ended events stopped; connections are re-decided on their interval", e));
        }
    }

    @Override
    public void stop() {
        Disposable running = ticking;
        if (running != null) {
            running.dispose();
        }
        Disposable events = listening;
        if (events != null) {
            events.dispose();
        }
        if (scheduler != null) {
            scheduler.dispose();
        }
        ticking = null;
    }

    @Override
    public boolean isRunning() {
        return ticking != null;
    }
}
