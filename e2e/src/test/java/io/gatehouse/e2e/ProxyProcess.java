package io.gatehouse.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real proxy (nginx, Caddy) run by a test in the foreground, output to {@code dir/NAME.log}: started, awaited until
 * its port accepts connections (bounded), stopped with SIGTERM (then SIGKILL after 10 s) on {@link #close()}.
 */
final class ProxyProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private ProxyProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static ProxyProcess start(String name, Path dir, List<String> command, Map<String, String> env, int port) {
        try {
            Files.createDirectories(dir);
            Path log = dir.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            ProxyProcess proxy = new ProxyProcess(name, builder.start(), log);
            try {
                Awaitility.await(name + " listening on 127.0.0.1:" + port).atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> {
                            if (!proxy.process.isAlive()) {
                                throw new IllegalStateException(name + " exited " + proxy.process.exitValue() + ":\n"
                                        + proxy.output());
                            }
                            return accepts(port);
                        });
            } catch (RuntimeException e) {
                proxy.close();
                throw e;
            }
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
