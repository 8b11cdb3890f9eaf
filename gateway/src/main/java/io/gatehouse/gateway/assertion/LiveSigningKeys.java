package io.gatehouse.gateway.assertion;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import io.gatehouse.gateway.tls.KeyFileWatch;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key ring in force, swapped whole when the key files change ({@code tls.KeyFileWatch} calls {@link #reload()}):
 * every file is read and checked, and the new ring (see {@link SigningKeys#successor}) replaces the old in one
 * volatile write, so the JWKS and the signer see either the old or the new set, never a mix. A file that cannot be
 * read as a key, or a set that must not replace the current one, keeps the current ring: the log names the file and
 * the reason, and {@code gatehouse_signing_keys_reload_failures_total} goes up.
 *
 * <p>Each key of the ring in force is a row of {@code gatehouse_signing_key_retire_after_seconds{kid}} (its
 * {@code retire-after} as Unix seconds, {@code +Inf} without one) and of
 * {@code gatehouse_signing_key_not_before_seconds{kid}} ({@code -Inf} without one); the rows are replaced with the
 * ring, so a key that left disappears from the scrape and a new one appears (k8s/observability alerts when every key
 * of a replica retires within 14 days).
 */
public final class LiveSigningKeys implements Supplier<SigningKeys>, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LiveSigningKeys.class);

    private final Supplier<List<SigningKey>> loader;
    private final Duration publishAhead;
    private final Clock clock;
    private final Counter reloads;
    private final Counter failures;
    private final MultiGauge retireAfter;
    private final MultiGauge notBefore;
    private final @Nullable KeyFileWatch watch;
    private final Duration pollInterval;
    private volatile SigningKeys current;
    private volatile boolean running;

    LiveSigningKeys(SigningKeys initial, Supplier<List<SigningKey>> loader, Duration publishAhead, Clock clock,
                    MeterRegistry meters, @Nullable KeyFileWatch watch, Duration pollInterval) {
        this.watch = watch;
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        this.current = Objects.requireNonNull(initial, "initial");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.publishAhead = Objects.requireNonNull(publishAhead, "publishAhead");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.reloads = Counter.builder("gatehouse.signing.keys.reloads")
                .description("assertion key sets re-read from their files and swapped in").register(meters);
        this.failures = Counter.builder("gatehouse.signing.keys.reload.failures")
                .description("changed assertion key files refused; the previous keys stay in use").register(meters);
        this.retireAfter = MultiGauge.builder("gatehouse.signing.key.retire.after").baseUnit("seconds")
                .description("retire-after of each assertion signing key in force, Unix time; +Inf: never")
                .register(meters);
        this.notBefore = MultiGauge.builder("gatehouse.signing.key.not.before").baseUnit("seconds")
                .description("not-before of each assertion signing key in force, Unix time; -Inf: from the start")
                .register(meters);
        publishWindows(initial);
    }

    /** One row per key of {@code ring}, replacing the rows of the previous ring. */
    private void publishWindows(SigningKeys ring) {
        retireAfter.register(ring.all().stream().map(k -> MultiGauge.Row.of(Tags.of("kid", k.kid()),
                unixSeconds(k.retireAfter(), Double.POSITIVE_INFINITY))).toList(), true);
        notBefore.register(ring.all().stream().map(k -> MultiGauge.Row.of(Tags.of("kid", k.kid()),
                unixSeconds(k.notBefore(), Double.NEGATIVE_INFINITY))).toList(), true);
    }

    private static double unixSeconds(@Nullable Instant at, double none) {
        return at == null ? none : at.getEpochSecond() + at.getNano() / 1e9;
    }

    /** Watching starts with the application context; a generated development key has no file to watch. */
    @Override
    public void start() {
        if (watch != null) {
            watch.start(pollInterval);
        }
        running = true;
    }

    @Override
    public void stop() {
        if (watch != null) {
            watch.close();
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** The ring in force now. */
    @Override
    public SigningKeys get() {
        return current;
    }

    /** Reads every key file again and swaps the new ring in, or keeps the current one and says why. */
    public synchronized void reload() {
        Instant now = clock.instant();
        SigningKeys next;
        try {
            next = current.successor(loader.get(), now, publishAhead);
        } catch (RuntimeException e) {
            failures.increment();
            log.error("assertion signing keys changed on disk but were NOT reloaded, the previous keys stay in use: {}",
                    e.getMessage());
            return;
        }
        current = next;
        publishWindows(next);
        reloads.increment();
        log.warn("assertion signing keys reloaded: published {}, signing now with {}{}",
                next.publishedAt(now).getKeys().stream().map(j -> j.getKeyID()).toList(),
                next.signingAt(now).map(SigningKey::kid).orElse("NONE"),
                publishAhead.isZero() ? "" : " (a new key signs from " + now.plus(publishAhead) + ")");
    }
}
