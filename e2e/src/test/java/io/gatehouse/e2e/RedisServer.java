package io.gatehouse.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Debian's {@code redis-server} on a loopback port, no persistence; stopped with SHUTDOWN NOSAVE. The fault suite
 * stops it with SHUTDOWN SAVE instead ({@link #stopKeepingData()}) and starts it again on the same port and directory,
 * so the sessions survive the outage as they would with a persistent Redis.
 */
final class RedisServer implements AutoCloseable {

    static final String BINARY = "/usr/bin/redis-server";
    private final Process process;
    private final int port;
    private final Path dir;

    private RedisServer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    static RedisServer start(Path dir) {
        return start(dir, Processes.freePort());
    }

    /** Starts Redis on {@code port}; loads {@code dir/dump.rdb} when an earlier {@link #stopKeepingData()} wrote one. */
    static RedisServer start(Path dir, int port) {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IllegalStateException("redis-server is missing at " + BINARY
                    + " (Debian package redis-server; scripts/install-prerequisites installs it)");
        }
        try {
            Files.createDirectories(dir);
            Process process = new ProcessBuilder(BINARY, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
                    .start();
            Awaitility.await("redis on " + port).atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    return true;
                }
            });
            return new RedisServer(process, port, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    /** SHUTDOWN SAVE: writes {@code dump.rdb} (even with no save points) and exits; returns when it is gone. */
    void stopKeepingData() {
        shutdown("save");
    }

    @Override
    public void close() {
        shutdown("nosave");
    }

    private void shutdown(String mode) {
        try {
            Processes.run(dir, dir.resolve("redis-cli.log"), Duration.ofSeconds(10),
                    List.of("redis-cli", "-p", Integer.toString(port), "shutdown", mode), Map.of());
        } catch (RuntimeException ignored) {
            // redis-cli exits non-zero when the server closes the connection on shutdown; the wait below decides.
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
