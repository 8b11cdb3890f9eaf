package io.gatehouse.gateway.device;

import io.gatehouse.testsupport.Processes;
import io.gatehouse.testsupport.ServiceProcess;
import io.gatehouse.testsupport.TestIssuer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real device-inventory jar ({@code device-inventory/target/device-inventory-*.jar}) as a separate process on
 * 127.0.0.1, launched by the shared {@link ServiceProcess}: API, management and its embedded PostgreSQL each on a
 * free port, tokens from the given issuer, output in {@code inventory.log} under the test directory. {@link #stop()} sends TERM (the inventory then stops its
 * PostgreSQL) and waits; {@link #close()} also ends, by pid, any PostgreSQL process of ours that outlived it.
 */
final class InventoryProcess implements AutoCloseable {

    private final ServiceProcess process;
    private final int apiPort;
    private final int postgresPort;
    private final List<ProcessHandle> postgres = new ArrayList<>();

    private InventoryProcess(ServiceProcess process, int apiPort, int postgresPort) {
        this.process = process;
        this.apiPort = apiPort;
        this.postgresPort = postgresPort;
    }

    /** Starts the jar; does not wait for it (see {@link #awaitReady(Duration)}). */
    static InventoryProcess start(Path dir, String issuerUri) {
        int api = Processes.freePort();
        int management = Processes.freePort();
        int pg = Processes.freePort();
        ServiceProcess process = ServiceProcess.launch("inventory", jar(), dir,
                List.of("-XX:TieredStopAtLevel=1", "-Xss512k", "-XX:+UseSerialGC"),
                List.of("--server.address=127.0.0.1", "--server.port=" + api,
                        "--management.server.address=127.0.0.1", "--management.server.port=" + management,
                        "--inventory.embedded-postgres.port=" + pg,
                        "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + issuerUri,
                        // every token of the test issuer names this audience; the inventory requires its own in aud
                        "--inventory.auth.audience=" + TestIssuer.AUDIENCE,
                        "--spring.main.banner-mode=off"),
                URI.create("http://127.0.0.1:" + management + "/actuator/health/readiness"));
        return new InventoryProcess(process, api, pg);
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

    URI api() {
        return URI.create("http://127.0.0.1:" + apiPort);
    }

    /** Polls readiness (database included) on the management port; fails early, with the log, if the JVM exits. */
    void awaitReady(Duration atMost) {
        process.awaitReady(atMost);
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
        process.stop();
    }

    String logTail() {
        return Processes.tail(process.log());
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
