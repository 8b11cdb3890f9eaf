package io.gatehouse.gateway.config;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Watches gatehouse.yaml's directory on one daemon thread and asks {@link LiveConfig#reload()} to look whenever the
 * file system reports a change in it, and at least every {@code poll-interval} anyway: a Kubernetes ConfigMap is
 * updated by swapping a symlink, and some file systems (network mounts) send no events at all. LiveConfig compares
 * bytes, so a look without a change costs one small read. While a change waits to settle (see
 * {@link LiveConfig#untilSettled()}), the watcher looks again as soon as the settle interval is over, even when no
 * further event comes.
 */
final class ConfigWatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);

    private final LiveConfig config;
    private final Duration pollInterval;
    private volatile boolean running;
    private @Nullable Thread thread;

    ConfigWatcher(LiveConfig config, Duration pollInterval) {
        this.config = Objects.requireNonNull(config, "config");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    }

    @Override
    public void start() {
        running = true;
        Thread t = new Thread(this::watch, "gatehouse-config-watch");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private void watch() {
        Path dir = config.file().toAbsolutePath().getParent();
        try (WatchService events = FileSystems.getDefault().newWatchService()) {
            dir.register(events, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
            log.info("watching {} for changes (and looking every {})", config.file(), pollInterval);
            while (running) {
                WatchKey key = events.poll(nextLook().toMillis(), TimeUnit.MILLISECONDS);
                boolean concerned = key == null; // the periodic look
                if (key != null) {
                    for (WatchEvent<?> event : key.pollEvents()) {
                        concerned |= concerns(event);
                    }
                    key.reset();
                }
                if (concerned) {
                    lookSafely();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.warn("cannot watch {} ({}); falling back to looking every {}", dir, e.toString(), pollInterval);
            pollOnly();
        }
    }

    /**
     * Whether a change in the directory may have changed the file: an event for its own name, a Kubernetes ConfigMap
     * swap (the {@code ..data} symlink and its {@code ..2026_…} targets), or lost events. Other files in the same
     * directory (a log written next to it) would otherwise make every write a reload check.
     */
    private boolean concerns(WatchEvent<?> event) {
        if (event.kind() == StandardWatchEventKinds.OVERFLOW || !(event.context() instanceof Path changed)) {
            return true;
        }
        String name = changed.toString();
        return name.equals(String.valueOf(config.file().getFileName())) || name.startsWith("..");
    }

    private void pollOnly() {
        try {
            while (running) {
                Thread.sleep(Math.max(1, nextLook().toMillis()));
                lookSafely();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The poll interval, or less when a change is waiting to settle. */
    private Duration nextLook() {
        Duration settling = config.untilSettled();
        if (settling == null || settling.compareTo(pollInterval) >= 0) {
            return pollInterval;
        }
        return settling.plusMillis(1);
    }

    private void lookSafely() {
        try {
            config.reload();
        } catch (RuntimeException e) {
            // A bug in loading must not kill the watcher: the last good config stays, and the next look tries again.
            log.error("gatehouse.yaml reload failed unexpectedly; keeping the last good config", e);
        }
    }

    @Override
    public void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
