package io.gatehouse.gateway.applog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.testsupport.DecisionLogSchema;
import io.gatehouse.testsupport.EchoUpstream;
import io.gatehouse.gateway.testing.RunningGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A gateway started with {@code logging.structured.format.console=ecs} and
 * {@code gatehouse.logging.application-stream=stderr}, with this JVM's stdout and stderr captured from before startup
 * to after shutdown: every stdout line is a decision-log line, and the application logs are ECS JSON lines on
 * stderr. A value other than stdout or stderr stops startup.
 */
class ApplicationLogStreamIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream realOut = System.out;
    private final PrintStream realErr = System.err;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Path dir;

    @BeforeEach
    void capture() throws IOException {
        dir = Files.createTempDirectory("gatehouse-applog-it");
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(realOut);
        System.setErr(realErr);
    }

    @Test
    void whenApplicationLogsGoToStderrAsEcsThenStdoutHoldsOnlyDecisionLogLines() {
        try (EchoUpstream upstream = EchoUpstream.start();
             RunningGateway gateway = RunningGateway.builder(dir).config("""
                     routes:
                       - id: echo
                         from: https://localhost
                         to: %s
                         policy:
                           allow:
                             - name: anyone
                               public: true
                     """.formatted(upstream.uri()))
                     .property("logging.structured.format.console", "ecs")
                     .property("gatehouse.logging.application-stream", "stderr")
                     .property("spring.main.banner-mode", null) // the gateway itself must keep stdout clean
                     .start()) {
            assertThat(gateway.client().get("/").status()).isEqualTo(200);
            assertThat(gateway.client().http2().get("/").status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> lines(out).size() >= 2);
        }

        List<String> stdout = lines(out);
        List<String> stderr = lines(err);
        restore();
        assertThat(stdout).as("stdout").hasSizeGreaterThanOrEqualTo(2);
        for (String line : stdout) {
            JsonNode decision = parse(line, "stdout");
            assertThat(decision.has("why")).as("a decision-log line on stdout: " + line).isTrue();
            assertThat(decision.has("@timestamp")).as("no application log on stdout: " + line).isFalse();
        }
        DecisionLogSchema.assertAllValid(stdout);
        assertThat(stderr).as("application logs on stderr")
                .anyMatch(line -> line.contains("Netty started on port"));
        for (String line : stderr) {
            JsonNode log = parse(line, "stderr");
            assertThat(log.path("@timestamp").asText()).as("ECS @timestamp: " + line).isNotBlank();
            assertThat(log.at("/log/level").asText()).as("ECS log.level: " + line).isNotBlank();
            assertThat(log.has("message")).as("ECS message: " + line).isTrue();
            assertThat(log.has("why")).as("no decision-log line on stderr: " + line).isFalse();
        }
    }

    @Test
    void whenTheStreamIsMisspeltThenStartupStopsNamingThePropertyAndTheAllowedValues() {
        assertThatThrownBy(() -> RunningGateway.builder(dir)
                .property("gatehouse.logging.application-stream", "stdrr").start())
                .hasStackTraceContaining("gatehouse.logging.application-stream: \"stdrr\" is not one of stdout, stderr");
    }

    private static List<String> lines(ByteArrayOutputStream captured) {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank()).toList();
        }
    }

    private static JsonNode parse(String line, String stream) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not a JSON line on " + stream + ": " + line, e);
        }
    }
}
