package io.gatehouse.testsupport;

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
 * Debian's {@code redis-server} on a free loopback port, without persistence, output in {@code dir/redis.log}. A test
 * can kill it and start it again on the same port (the data is gone after a kill, as with any Redis without
 * persistence), or pause it (SIGSTOP: it accepts commands and never answers). {@link #close()} stops it with
 * {@code SHUTDOWN NOSAVE}, or kills it when it does not stop within 10 s.
 */
public final class RedisServer implements AutoCloseable {

    public static final String BINARY = "/usr/bin/redis-server";

    private final int port;
    private final Path dir;
    private Process process;

    private RedisServer(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    /** Starts a server with its files in a new temporary directory and waits until it accepts connections. */
    public static RedisServer start() {
        try {
            return start(Files.createTempDirectory("gatehouse-redis"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a server with its files (log, nothing else) in {@code dir} and waits until it accepts connections. */
    public static RedisServer start(Path dir) {
        return start(dir, Processes.freePort());
    }

    /**
     * Starts a server on {@code port} with its files in {@code dir}; it loads {@code dir/dump.rdb} when an earlier
     * {@link #stopKeepingData()} wrote one, so a test can stop Redis and start it again with its sessions.
     */
    public static RedisServer start(Path dir, int port) {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IllegalStateException("redis-server is missing at " + BINARY
                    + " (Debian package redis-server; scripts/install-prerequisites installs it)");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RedisServer redis = new RedisServer(port, dir);
        redis.restart();
        return redis;
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts the server (again) on its port and waits (at most 20 s) until it accepts connections. */
    public synchronized void restart() {
        try {
            process = new ProcessBuilder(BINARY, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Awaitility.await("redis on " + port).atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return true;
            }
        });
    }

    /** Kills the server (SIGKILL) and waits until it is gone. */
    public synchronized void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server on " + port + " did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the server without closing its connections (SIGSTOP): it accepts commands and never answers. */
    public void pause() {
        signal("-STOP");
    }

    /** Lets a paused server go on (SIGCONT). */
    public void resume() {
        signal("-CONT");
    }

    private synchronized void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SHUTDOWN SAVE: writes {@code dump.rdb} (even with no save points) and exits; returns when it is gone. */
    public void stopKeepingData() {
        shutdown("save");
    }

    /** SHUTDOWN NOSAVE (a paused server is resumed first); SIGKILL when it has not stopped within 10 s. */
    @Override
    public void close() {
        shutdown("nosave");
    }

    private synchronized void shutdown(String mode) {
        if (process == null || !process.isAlive()) {
            return;
        }
        resume();
        try {
            Processes.run(dir, dir.resolve("redis-cli.log"), Duration.ofSeconds(10),
                    List.of("redis-cli", "-p", Integer.toString(port), "shutdown", mode), Map.of());
        } catch (RuntimeException ignored) {
            // redis-cli exits non-zero when the server closes the connection on shutdown; the wait below decides.
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
