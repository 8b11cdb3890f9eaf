package io.gatehouse.gateway.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at a fixed set of key-material files (signing keys, server certificate and key, device CA) every
 * {@code gatehouse.key-watch.poll-interval} on one daemon thread, and calls {@code onChange} once their bytes have
 * changed <em>and</em> stayed the same on two looks in a row (the settle rule: a file still being written is not read
 * half-way). Paths are read through symlinks, so a Kubernetes Secret volume update (a swap of the {@code ..data}
 * symlink) is seen like an in-place write. Polling rather than file-system events: Secret volumes change by symlink
 * swaps in a directory other than the one named, and network mounts send no events; a look reads a few kB.
 *
 * <p>{@code onChange} is called once per new content: when it fails (a broken file), the watcher does not call it
 * again until the files change again, so one broken version is one failure, not one per look. Each file is read up
 * to {@link #MAX_FILE_BYTES}; a larger one counts as changed (and the loader will refuse it).
 */
public final class KeyFileWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KeyFileWatch.class);

    /** Bytes read per file for the change check; key material is a few kB. */
    public static final int MAX_FILE_BYTES = 1 << 20;

    private final String name;
    private final List<Path> files;
    private final Runnable onChange;
    private byte[] loaded;
    private byte @Nullable [] pending;
    private @Nullable ScheduledExecutorService executor;

    /**
     * Takes the current content as loaded: construct it <em>before</em> reading the files for the first time, so a
     * change between the two is seen at the next look.
     */
    public KeyFileWatch(String name, List<Path> files, Runnable onChange) {
        this.name = Objects.requireNonNull(name, "name");
        this.files = List.copyOf(files);
        this.onChange = Objects.requireNonNull(onChange, "onChange");
        this.loaded = digest();
    }

    /** Starts looking every {@code pollInterval} (must be positive). */
    public synchronized void start(Duration pollInterval) {
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("gatehouse.key-watch.poll-interval must be positive, not " + pollInterval);
        }
        if (executor != null) {
            return;
        }
        ScheduledExecutorService e = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gatehouse-key-watch-" + name);
            t.setDaemon(true);
            return t;
        });
        e.scheduleWithFixedDelay(this::lookSafely, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        executor = e;
        log.info("watching {} for {} (looking every {})", files, name, pollInterval);
    }

    /** One look: package-visible for a unit test with no thread. Returns true when {@code onChange} was called. */
    synchronized boolean look() {
        byte[] now = digest();
        if (Arrays.equals(now, loaded)) {
            pending = null;
            return false;
        }
        if (!Arrays.equals(now, pending)) {
            pending = now; // changed since the last look: wait one more look for it to settle
            return false;
        }
        loaded = now;
        pending = null;
        onChange.run();
        return true;
    }

    private void lookSafely() {
        try {
            look();
        } catch (RuntimeException e) {
            // A bug in a loader must not end the watcher: the old material stays, the next change tries again.
            log.error("reloading {} from {} failed unexpectedly; keeping what is loaded", name, files, e);
        }
    }

    private byte[] digest() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[8192];
        for (Path file : files) {
            sha.update(file.toString().getBytes(StandardCharsets.UTF_8));
            try (InputStream in = Files.newInputStream(file)) {
                long total = 0;
                for (int n; total < MAX_FILE_BYTES && (n = in.read(buffer)) >= 0; total += n) {
                    sha.update(buffer, 0, n);
                }
            } catch (NoSuchFileException e) {
                sha.update((byte) 1); // missing (mid-swap or removed): a state of its own
            } catch (IOException e) {
                sha.update((byte) 2);
                sha.update(String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8));
            }
            sha.update((byte) 0);
        }
        return sha.digest();
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}
