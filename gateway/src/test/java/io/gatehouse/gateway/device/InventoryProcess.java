package io.gatehouse.gateway.device;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real device-inventory jar ({@code device-inventory/target/device-inventory-*.jar}) as a separate process on
 * 127.0.0.1: API, management and its embedded PostgreSQL each on a free port, tokens from the given issuer, output
 * in {@code inventory.log} under the test directory. {@link #stop()} sends TERM (the inventory then stops its
 * PostgreSQL) and waits; {@link #close()} also ends, by pid, any PostgreSQL process of ours that outlived it.
 */
final class InventoryProcess implements AutoCloseable {

    private final Process process;
    private final int apiPort;
    private final int managementPort;
    private final int postgresPort;
    private final Path log;
    private final List<ProcessHandle> postgres = new ArrayList<>();

    private InventoryProcess(Process process, int apiPort, int managementPort, int postgresPort, Path log) {
        this.process = process;
        this.apiPort = apiPort;
        this.managementPort = managementPort;
        this.postgresPort = postgresPort;
        this.log = log;
    }

    /** Starts the jar; does not wait for it (see {@link #awaitReady(Duration)}). */
    static InventoryProcess start(Path dir, String issuerUri) {
        Path jar = jar();
        int api = freePort();
        int management = freePort();
        int pg = freePort();
        Path log = dir.resolve("inventory.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            Process process = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-Xss512k", "-XX:+UseSerialGC",
                    "-jar", jar.toString(),
                    "--server.address=127.0.0.1", "--server.port=" + api,
                    "--management.server.address=127.0.0.1", "--management.server.port=" + management,
                    "--inventory.embedded-postgres.port=" + pg,
                    "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + issuerUri,
                    // every token of the test issuer names this audience; the inventory requires its own in aud
                    "--inventory.auth.audience=" + io.gatehouse.gateway.testing.TestIssuer.AUDIENCE,
                    "--spring.main.banner-mode=off")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new InventoryProcess(process, api, management, pg, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The packaged jar next to this module; a missing jar fails with what to build. */
    private static Path jar() {
        Path target = Path.of("").toAbsolutePath().resolveSibling("device-inventory").resolve("target");
        try (Stream<Path> files = Files.isDirectory(target) ? Files.list(target) : Stream.empty()) {
            return files.filter(p -> p.getFileName().toString().matches("device-inventory-.*\\.jar"))
                    .filter(p -> !p.getFileName().toString().endsWith("-plain.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no device-inventory jar in " + target
                            + ": build device-inventory first (./mvnw -B -ntp -q -pl device-inventory -DskipTests "
                            + "package); the full reactor build does this before gateway"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI api() {
        return URI.create("http://127.0.0.1:" + apiPort);
    }

    /** Polls readiness (database included) on the management port; fails early, with the log, if the JVM exits. */
    void awaitReady(Duration atMost) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        URI readiness = URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness");
        await("device-inventory readiness").atMost(atMost).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("device-inventory exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                return http.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        postgres.addAll(postgresProcesses());
    }

    /** The embedded PostgreSQL server processes listening on our port (found by their command line). */
    List<ProcessHandle> postgresProcesses() {
        String port = String.valueOf(postgresPort);
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("postgres") && c.contains("-p " + port))
                        .orElse(false))
                .toList();
    }

    /** The PostgreSQL processes seen when the inventory became ready. */
    List<ProcessHandle> startedPostgres() {
        return List.copyOf(postgres);
    }

    /** TERM, then wait (the inventory closes its embedded PostgreSQL on shutdown); KILL only after 30 s. */
    void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        stop();
        // Only processes this fixture started (the postmaster and its children, by pid): never a broad kill.
        for (ProcessHandle pg : postgres) {
            if (pg.isAlive()) {
                pg.destroy();
            }
        }
    }
}
