package io.gatehouse.gateway.config;

import io.gatehouse.policy.CompiledConfig;
import io.gatehouse.policy.load.LoadResult;
import io.gatehouse.policy.load.PolicyLoader;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gatehouse.yaml in force: one {@link CompiledConfig} behind an {@link AtomicReference} (docs/design.md,
 * "Configuration": hot reload). {@link #reload()} reads the file, builds a complete new config (parse, validate,
 * compile) and only then swaps it in; when loading fails, every error is logged, the failure is counted in
 * {@code gatehouse_config_reload_failures_total}, and the last good config stays. Each request reads
 * {@link #current()} once, so it is decided entirely under one config. Routes' shadow policies are part of the file:
 * they are reloaded, checked and kept with it, so a broken shadow keeps the whole last good file.
 *
 * <p>A changed file is loaded only once it has settled: its size, modification time and whole content stayed the
 * same for the settle interval. A file written in place is seen half written in between, and half a file can load
 * and mean less: cut before its {@code deny:} rules, it admits what they refuse. A file that changes again while
 * settling starts its wait anew (counted in {@code gatehouse_config_reload_unsettled_total}); it is never loaded
 * until it stops changing.
 */
public final class LiveConfig {

    private static final Logger log = LoggerFactory.getLogger(LiveConfig.class);

    private final Path file;
    private final AtomicReference<CompiledConfig> current;
    private final Counter reloads;
    private final Counter failures;
    private final Counter unsettled;
    private final Duration settle;
    private final Clock clock;
    private byte[] lastSeen;
    private @Nullable Seen pending;
    private Instant pendingSince = Instant.MIN;

    /**
     * Loads {@code file} once; a file that does not load stops startup (there is no last good config yet). Later
     * changes are loaded once they have stayed the same for {@code settle} (zero: at the first look).
     */
    public LiveConfig(Path file, MeterRegistry meters, Duration settle, Clock clock) {
        this.file = Objects.requireNonNull(file, "file");
        this.settle = Objects.requireNonNull(settle, "settle");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (settle.isNegative()) {
            throw new IllegalArgumentException("settle must not be negative: " + settle);
        }
        byte[] bytes = read(file);
        if (bytes == null) {
            throw new IllegalStateException("gatehouse.config " + file + " cannot be read");
        }
        LoadResult result = PolicyLoader.load(file.toString(), new String(bytes, StandardCharsets.UTF_8));
        if (!result.ok()) {
            throw new IllegalStateException("gatehouse.config " + file + " does not load:\n" + result.render());
        }
        this.current = new AtomicReference<>(result.config());
        this.lastSeen = bytes;
        this.reloads = Counter.builder("gatehouse.config.reloads").description("gatehouse.yaml reloads swapped in")
                .register(meters);
        this.failures = Counter.builder("gatehouse.config.reload.failures")
                .description("gatehouse.yaml reloads rejected; the last good config stayed").register(meters);
        this.unsettled = Counter.builder("gatehouse.config.reload.unsettled")
                .description("gatehouse.yaml changed again while settling; its load waited").register(meters);
        Gauge.builder("gatehouse.config.routes", this, c -> c.current().routes().size())
                .description("routes in the config in force").register(meters);
        Gauge.builder("gatehouse.config.shadow.routes", this, c -> c.current().shadowedRoutes())
                .description("routes of the config in force that carry a shadow policy").register(meters);
        log.info("gatehouse.yaml {} loaded: {} routes ({} with a shadow policy), version {}", file,
                current().routes().size(), current().shadowedRoutes(), current().version());
    }

    public CompiledConfig current() {
        return current.get();
    }

    public Path file() {
        return file;
    }

    /**
     * Looks at the file and swaps in its content if it changed, has settled, and loads. Returns true when a new
     * config is in force. Called by the watcher thread only, so {@code lastSeen} and {@code pending} need no lock.
     */
    public boolean reload() {
        Seen seen = Seen.look(file);
        if (seen == null) {
            pending = null;
            if (lastSeen.length > 0) {
                failures.increment();
                log.error("gatehouse.yaml reload: {} cannot be read; keeping version {}", file, current().version());
                lastSeen = new byte[0];
            }
            return false;
        }
        if (Arrays.equals(seen.bytes(), lastSeen)) {
            pending = null;
            return false;
        }
        if (!settled(seen)) {
            return false;
        }
        pending = null;
        return load(seen.bytes());
    }

    /**
     * How long until a change waiting to settle should be looked at again; null when none is waiting. The watcher
     * looks no later than that, so a settled change is loaded promptly even when no file event follows.
     */
    public @Nullable Duration untilSettled() {
        if (pending == null) {
            return null;
        }
        Duration left = settle.minus(Duration.between(pendingSince, clock.instant()));
        return left.isNegative() ? Duration.ZERO : left;
    }

    private boolean settled(Seen seen) {
        Instant now = clock.instant();
        if (pending == null || !pending.sameAs(seen)) {
            if (pending != null) {
                unsettled.increment();
                log.info("gatehouse.yaml {} is still changing; loading it once it stays the same for {}", file,
                        settle);
            }
            pending = seen;
            pendingSince = now;
            return settle.isZero();
        }
        return Duration.between(pendingSince, now).compareTo(settle) >= 0;
    }

    private boolean load(byte[] bytes) {
        lastSeen = bytes;
        LoadResult result = PolicyLoader.load(file.toString(), new String(bytes, StandardCharsets.UTF_8));
        if (!result.ok()) {
            failures.increment();
            log.error("gatehouse.yaml reload rejected ({} errors); keeping version {}:\n{}", result.errors().size(),
                    current().version(), result.render());
            return false;
        }
        CompiledConfig next = result.config();
        CompiledConfig previous = current.getAndSet(next);
        reloads.increment();
        log.info("gatehouse.yaml reloaded: {} routes ({} with a shadow policy), version {} (was {})",
                next.routes().size(), next.shadowedRoutes(), next.version(), previous.version());
        return true;
    }

    /**
     * One look at the file: its size and modification time, and all of its bytes. When size or time moved while it
     * was read, or the bytes do not add up to the size, a writer is at work: the look is marked torn and never
     * counts as the same as another, so the file has to stay put for a whole settle interval after it.
     */
    private record Seen(long size, FileTime modified, byte[] bytes, boolean torn) {

        static @Nullable Seen look(Path file) {
            try {
                BasicFileAttributes before = Files.readAttributes(file, BasicFileAttributes.class);
                byte[] bytes = Files.readAllBytes(file);
                BasicFileAttributes after = Files.readAttributes(file, BasicFileAttributes.class);
                boolean torn = before.size() != after.size() || after.size() != bytes.length
                        || !before.lastModifiedTime().equals(after.lastModifiedTime());
                return new Seen(after.size(), after.lastModifiedTime(), bytes, torn);
            } catch (IOException e) {
                return null;
            }
        }

        boolean sameAs(Seen other) {
            return !torn && !other.torn && size == other.size && modified.equals(other.modified)
                    && Arrays.equals(bytes, other.bytes);
        }
    }

    private static byte @Nullable [] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return null;
        }
    }
}
