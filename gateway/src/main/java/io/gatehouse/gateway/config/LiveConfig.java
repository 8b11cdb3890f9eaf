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
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gatehouse.yaml in force: one {@link CompiledConfig} behind an {@link AtomicReference} (DESIGN.md,
 * "Configuration": hot reload). {@link #reload()} reads the file, builds a complete new config (parse, validate,
 * compile) and only then swaps it in; when loading fails, every error is logged, the failure is counted in
 * {@code gatehouse_config_reload_failures_total}, and the last good config stays. Each request reads
 * {@link #current()} once, so it is decided entirely under one config.
 */
public final class LiveConfig {

    private static final Logger log = LoggerFactory.getLogger(LiveConfig.class);

    private final Path file;
    private final AtomicReference<CompiledConfig> current;
    private final Counter reloads;
    private final Counter failures;
    private byte[] lastSeen;

    /** Loads {@code file} once; a file that does not load stops startup (there is no last good config yet). */
    public LiveConfig(Path file, MeterRegistry meters) {
        this.file = Objects.requireNonNull(file, "file");
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
        Gauge.builder("gatehouse.config.routes", this, c -> c.current().routes().size())
                .description("routes in the config in force").register(meters);
        log.info("gatehouse.yaml {} loaded: {} routes, version {}", file, current().routes().size(), current().version());
    }

    public CompiledConfig current() {
        return current.get();
    }

    public Path file() {
        return file;
    }

    /**
     * Looks at the file and swaps in its content if it changed and loads. Returns true when a new config is in force.
     * Called by the watcher thread only, so {@code lastSeen} needs no lock.
     */
    public boolean reload() {
        byte[] bytes = read(file);
        if (bytes == null) {
            if (lastSeen.length > 0) {
                failures.increment();
                log.error("gatehouse.yaml reload: {} cannot be read; keeping version {}", file, current().version());
                lastSeen = new byte[0];
            }
            return false;
        }
        if (Arrays.equals(bytes, lastSeen)) {
            return false;
        }
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
        log.info("gatehouse.yaml reloaded: {} routes, version {} (was {})", next.routes().size(), next.version(),
                previous.version());
        return true;
    }

    private static byte @Nullable [] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return null;
        }
    }
}
