package io.gatehouse.e2e;

import io.gatehouse.testsupport.Processes;
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

/** Debian's {@code redis-server} on a free loopback port, no persistence; stopped with SHUTDOWN NOSAVE. */
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
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IllegalStateException("redis-server is missing at " + BINARY
                    + " (Debian package redis-server; scripts/install-prerequisites installs it)");
        }
        int port = Processes.freePort();
        try {
            Files.createDirectories(dir);
            Process process = new ProcessBuilder(BINARY, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
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

    @Override
    public void close() {
        try {
            Processes.run(dir, dir.resolve("redis-cli.log"), Duration.ofSeconds(10),
                    List.of("redis-cli", "-p", Integer.toString(port), "shutdown", "nosave"), Map.of());
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
