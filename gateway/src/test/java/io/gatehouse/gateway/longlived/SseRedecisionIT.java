package io.gatehouse.gateway.longlived;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.gatehouse.gateway.testing.DecisionLogITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import io.gatehouse.gateway.config.LiveConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Issue 22, item 3: streaming responses are re-decided like WebSockets. With curl over HTTP/1.1 and HTTP/2 against
 * a running gateway: an event stream the reloaded policy denies ends with a final {@code event: gatehouse-denied}
 * (curl exits 0, the stream complete); a long download it denies fails (curl 18 over HTTP/1.1, 92 over HTTP/2),
 * never a transfer that looks complete.
 */
class SseRedecisionIT extends DecisionLogITSupport {

    private DisposableServer streams;
    private Process curl;
    /** Every application log event (root logger) while a test runs. */
    private final ListAppender<ILoggingEvent> appLog = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @Override
    protected void customize(RunningGateway.Builder builder) {
        builder.property("gatehouse.long-lived.stream-after", "1s")
                .property("gatehouse.forward.response-timeout", "60s");
    }

    @Override
    protected String config(URI upstreamUri) {
        streams = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes
                        .get("/events/{name}", (req, res) -> res.header("Content-Type", "text/event-stream")
                                .sendString(Flux.interval(Duration.ofMillis(200)).map(i -> "data: tick " + i + "\n\n")))
                        .get("/files/{name}", (req, res) -> res.header("Content-Type", "application/octet-stream")
                                .sendByteArray(Flux.interval(Duration.ofMillis(100)).map(i -> new byte[512]))))
                .bindNow(Duration.ofSeconds(10));
        return policy(true);
    }

    private String policy(boolean allowed) {
        return """
                routes:
                  - id: streams
                    from: https://localhost
                    to: http://127.0.0.1:%d
                    policy:
                      allow:
                        - {name: %s, public: true, paths: ["/events/**", "/files/**"]}
                """.formatted(streams.port(), allowed ? "anyone" : "nobody-here")
                .replace("public: true, paths", allowed ? "public: true, paths" : "groups: [nobody], paths");
    }

    private String allowingVersion;

    @BeforeAll
    void rememberAllowingPolicy() {
        allowingVersion = gateway.context().getBean(LiveConfig.class).current().version();
    }

    @BeforeAll
    void captureApplicationLog() {
        appLog.start();
        root.addAppender(appLog);
    }

    @AfterAll
    void releaseApplicationLog() {
        root.detachAppender(appLog);
    }

    /** The application log without the decision log (its lines name every request id too). */
    private List<ILoggingEvent> appLogEvents() {
        synchronized (appLog) {
            return appLog.list.stream().filter(e -> !e.getLoggerName().equals("gatehouse.decision")).toList();
        }
    }

    private static boolean mentionsStreamCut(@org.jspecify.annotations.Nullable IThrowableProxy thrown) {
        for (IThrowableProxy t = thrown; t != null; t = t.getCause()) {
            if (t.getClassName().contains("StreamCutException")) {
                return true;
            }
        }
        return false;
    }

    @AfterEach
    void stopCurl() {
        if (curl != null) {
            curl.destroyForcibly();
        }
        restoreAllowingPolicy();
    }

    /** Writes the allowing policy back and waits until it is in force, so the next test starts from it. */
    private void restoreAllowingPolicy() {
        LiveConfig live = gateway.context().getBean(LiveConfig.class);
        if (!live.current().version().equals(allowingVersion)) {
            gateway.writeConfig(policy(true));
            await().atMost(Duration.ofSeconds(10)).until(() -> live.current().version().equals(allowingVersion));
        }
    }

    @AfterAll
    void stopStreams() {
        streams.disposeNow(Duration.ofSeconds(5));
    }

    private Path startCurl(String protocol, String path) throws IOException {
        return startCurl(protocol, path, Files.createTempFile(dir, "curl", ".headers"));
    }

    private Path startCurl(String protocol, String path, Path headers) throws IOException {
        Path out = Files.createTempFile(dir, "curl", ".out");
        Path ca = gateway.pki().caPem();
        curl = new ProcessBuilder("curl", "-sS", "-N", protocol, "--cacert", ca.toString(), "--max-time", "30",
                "-D", headers.toString(),
                // The route is from https://localhost (port 443): the Host the client names, as the other tests do.
                "-H", "Host: localhost", "--resolve", "localhost:" + gateway.httpsPort() + ":127.0.0.1",
                "https://localhost:" + gateway.httpsPort() + path)
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        return out;
    }

    private int exitWithin(Duration bound) throws InterruptedException {
        assertThat(curl.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)).as("curl ended within %s", bound).isTrue();
        return curl.exitValue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--http1.1", "--http2"})
    void eventStreamWhenReloadDeniesThenFinalDeniedEventAndEnd(String protocol) throws Exception {
        Path out = startCurl(protocol, "/events/" + protocol.substring(2));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(out).contains("data: tick 2"));

        gateway.writeConfig(policy(false));

        int exit = exitWithin(Duration.ofSeconds(10));
        String text = Files.readString(out);
        assertThat(exit).as(text).isZero();
        List<String> events = List.of(text.strip().split("\n\n"));
        assertThat(events.get(events.size() - 1)).startsWith("event: gatehouse-denied\ndata: {\"code\":\"connection-cut\"")
                .contains("gatehouse: denied");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--http1.1", "--http2"})
    void downloadWhenReloadDeniesThenTransferFailsNeverLooksComplete(String protocol) throws Exception {
        Path out = startCurl(protocol, "/files/" + protocol.substring(2));
        // Tracked once it has streamed for stream-after (1 s here).
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.size(out) > 20 * 512);

        gateway.writeConfig(policy(false));

        int exit = exitWithin(Duration.ofSeconds(10));
        assertThat(exit).isEqualTo(protocol.equals("--http1.1") ? 18 : 92);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--http1.1", "--http2"})
    void downloadWhenCutThenApplicationLogHasOneInfoLineAndNoErrorOrStackTrace(String protocol) throws Exception {
        Path headers = Files.createTempFile(dir, "curl", ".headers");
        Path out = startCurl(protocol, "/files/quiet-" + protocol.substring(2), headers);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.size(out) > 20 * 512);
        String requestId = Files.readAllLines(headers).stream()
                .filter(line -> line.toLowerCase(java.util.Locale.ROOT).startsWith("x-request-id:"))
                .map(line -> line.substring(line.indexOf(':') + 1).strip()).findFirst().orElseThrow();
        int before = appLogEvents().size();

        gateway.writeConfig(policy(false));

        assertThat(exitWithin(Duration.ofSeconds(10))).isEqualTo(protocol.equals("--http1.1") ? 18 : 92);
        // curl saw the close, which the server logs its errors before; the re-decider's line comes after the cut.
        await().atMost(Duration.ofSeconds(10)).until(() -> appLogEvents().stream().skip(before)
                .anyMatch(e -> e.getFormattedMessage().contains(requestId)));
        List<ILoggingEvent> during = appLogEvents().subList(before, appLogEvents().size());
        assertThat(during).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
        assertThat(during).filteredOn(e -> mentionsStreamCut(e.getThrowableProxy()))
                .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
        assertThat(during).filteredOn(e -> e.getFormattedMessage().contains(requestId))
                .singleElement().satisfies(e -> {
                    assertThat(e.getLevel()).isIn(Level.DEBUG, Level.INFO);
                    assertThat(e.getFormattedMessage()).contains("cut");
                });
    }
}
