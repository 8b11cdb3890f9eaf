package io.gatehouse.e2e;

import io.gatehouse.testsupport.DecisionLogSchema;
import io.gatehouse.testsupport.Processes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * The packaged gateway as its own process with its stdout on a pipe the test reads, as a log shipper reads a
 * container's stdout: application logs go to stderr ({@code gatehouse.logging.application-stream=stderr}, a file),
 * stdout carries the decision log only. A pump thread reads stdout line by line into {@code decisions.log} and
 * indexes each line's {@code request_id}; the suite can stop reading ({@link #blockSink()}: the pipe fills and the
 * gateway's writer blocks, as behind a stalled log pipeline) and close the pipe ({@link #closeSink()}: the gateway's
 * writes fail, as with a crashed shipper).
 */
final class PipedGateway implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PROMETHEUS = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)$");

    private final Process process;
    private final int port;
    private final int managementPort;
    private final Path dir;
    private final Path config;
    private final Map<String, JsonNode> lines = new ConcurrentHashMap<>();
    private final AtomicLong otherLines = new AtomicLong();
    /** Decision-log lines that break docs/decision-log.schema.json: the first {@value #KEPT_BAD_LINES} kept. */
    private final List<String> badLines = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong badLineCount = new AtomicLong();
    private static final int KEPT_BAD_LINES = 20;
    private final ReentrantLock gate = new ReentrantLock();
    private final Condition opened = gate.newCondition();
    private boolean blocked;
    private final Thread pump;
    private final HttpClient management = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PipedGateway(Process process, int port, int managementPort, Path dir, Path config) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.dir = dir;
        this.config = config;
        this.pump = new Thread(this::pump, "decision-log-pump");
        this.pump.setDaemon(true);
        this.pump.start();
    }

    /** Starts the gateway on {@code port} (public, HTTPS) and {@code management}; waits until it is ready. */
    static PipedGateway start(Path jar, Path dir, int port, int management, String gatehouseYaml,
                              Map<String, String> properties) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no gateway jar at " + jar + ": build the reactor (the e2e module comes last)");
        }
        try {
            Files.createDirectories(dir);
            Path copy = Files.copy(jar, dir.resolve("gatehouse-gateway.jar"), StandardCopyOption.REPLACE_EXISTING);
            Path config = dir.resolve("gatehouse.yaml");
            Files.writeString(config, gatehouseYaml);
            Map<String, String> all = new LinkedHashMap<>();
            all.put("server.port", Integer.toString(port));
            all.put("server.address", "127.0.0.1");
            all.put("management.server.port", Integer.toString(management));
            all.put("management.server.address", "127.0.0.1");
            all.put("gatehouse.config", config.toString());
            all.put("gatehouse.logging.application-stream", "stderr");
            all.put("spring.main.banner-mode", "off");
            all.putAll(properties);
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", copy.toString()));
            all.forEach((k, v) -> command.add("--" + k + "=" + v));
            Process process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectError(dir.resolve("gateway.log").toFile()).start();
            PipedGateway gateway = new PipedGateway(process, port, management, dir, config);
            gateway.awaitReady();
            return gateway;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        try {
            Awaitility.await("gateway ready").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("the gateway exited " + process.exitValue());
                        }
                        return management("/actuator/health/readiness").statusCode() == 200;
                    });
        } catch (RuntimeException e) {
            close();
            throw new IllegalStateException("gateway did not become ready; last lines of its log:\n"
                    + Processes.tail(dir.resolve("gateway.log")), e);
        }
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(dir.resolve("decisions.log"))) {
            String line;
            while (true) {
                awaitOpen();
                line = in.readLine();
                if (line == null) {
                    return;
                }
                out.write(line);
                out.write('\n');
                if (line.startsWith("{") && line.contains("\"why\"")) {
                    JsonNode node = JSON.readTree(line);
                    lines.put(node.path("request_id").asText(), node);
                    if (!DecisionLogSchema.problems(line).isEmpty() && badLineCount.incrementAndGet() <= KEPT_BAD_LINES) {
                        badLines.add(line);
                    }
                } else {
                    otherLines.incrementAndGet();
                }
            }
        } catch (IOException closed) {
            // closeSink() closed the pipe under the reader: nothing more to read.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitOpen() throws InterruptedException {
        gate.lock();
        try {
            while (blocked) {
                if (!opened.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the decision-log pipe stayed blocked for 60 s");
                }
            }
        } finally {
            gate.unlock();
        }
    }

    /** Stops reading stdout: the pipe (64 KiB) fills and the gateway's writer thread blocks on it. */
    void blockSink() {
        gate.lock();
        try {
            blocked = true;
        } finally {
            gate.unlock();
        }
    }

    void unblockSink() {
        gate.lock();
        try {
            blocked = false;
            opened.signalAll();
        } finally {
            gate.unlock();
        }
    }

    /**
     * Closes the read end of stdout: every later write of the gateway fails (EPIPE). Call it with the load paused and
     * every line read. The pump is first parked at its gate, off the pipe ({@code oneLine} makes the gateway write one
     * line, which wakes it from its read): a descriptor closed while a thread is blocked reading it stays open in the
     * kernel until that read returns, and that read would swallow the next lines as if they were written.
     */
    void closeSink(Runnable oneLine) throws IOException {
        blockSink();
        int before = lines.size();
        oneLine.run();
        Awaitility.await("the pump read the last line").atMost(Duration.ofSeconds(15)).until(() -> lines.size() > before);
        Awaitility.await("the pump parked at its gate").atMost(Duration.ofSeconds(5))
                .until(() -> pump.getState() == Thread.State.TIMED_WAITING);
        process.getInputStream().close();
    }

    /** The decision-log lines read so far, by request id. */
    Map<String, JsonNode> lines() {
        return lines;
    }

    /**
     * Fails when a decision-log line read so far breaks docs/decision-log.schema.json, with the lines (the first
     * {@value #KEPT_BAD_LINES}) and the validator's messages.
     */
    void assertLinesMatchSchema() {
        List<String> bad;
        synchronized (badLines) {
            bad = List.copyOf(badLines);
        }
        if (!bad.isEmpty()) {
            try {
                DecisionLogSchema.assertAllValid(bad);
            } catch (AssertionError e) {
                throw new AssertionError(badLineCount.get() + " decision-log lines read broke the schema. "
                        + e.getMessage(), e);
            }
        }
    }

    /** stdout lines that were not decision-log lines (there should be none). */
    long otherLines() {
        return otherLines.get();
    }

    URI base() {
        return URI.create("https://localhost:" + port);
    }

    int port() {
        return port;
    }

    Path config() {
        return config;
    }

    long pid() {
        return process.pid();
    }

    /** Open file descriptors of the gateway process ({@code /proc/PID/fd}). */
    long openFiles() {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(process.pid()), "fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    HttpResponse<String> management(String path) throws IOException, InterruptedException {
        return management.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The sum of every series of {@code metric} whose labels contain {@code labelFilter} (may be empty). */
    double metric(String metric, String labelFilter) {
        try {
            String text = management("/actuator/prometheus").body();
            double sum = 0;
            for (String line : text.split("\n")) {
                Matcher m = PROMETHEUS.matcher(line);
                if (m.matches() && m.group(1).equals(metric)
                        && (labelFilter.isEmpty() || (m.group(2) != null && m.group(2).contains(labelFilter)))) {
                    sum += Double.parseDouble(m.group(3));
                }
            }
            return sum;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String log() {
        return Processes.tail(dir.resolve("gateway.log"));
    }

    @Override
    public void close() {
        unblockSink();
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            pump.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
