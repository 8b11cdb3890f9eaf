package io.gatehouse.policy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.policy.CompiledConfig;
import io.gatehouse.policy.replay.LogLineFixture;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replay} streams: a log several times larger than the heap, every line of which flips, replays in a JVM with
 * a 32 MB heap, listing {@code --max-flips} flips and counting the rest. Reading the log whole, or keeping every
 * flip, runs out of memory.
 */
class ReplayMemoryTest {
    private static final int LINES = 120_000;
    private static final int HEAP_MB = 32;

    @Test
    void replayWhenTheLogIsLargerThanTheHeapThenItStreamsInBoundedMemory(@TempDir Path dir) throws Exception {
        CompiledConfig inForce = LogLineFixture.config(ReplayCommandTest.IN_FORCE);
        Path candidate = Files.writeString(dir.resolve("candidate.yaml"), ReplayCommandTest.CANDIDATE);
        String line = LogLineFixture.line(inForce,
                ReplayCommandTest.request("https://payroll.corp.example/reports", "sam@corp.example", "staff"));
        Path log = dir.resolve("decisions.jsonl");
        try (BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (int i = 0; i < LINES; i++) {
                out.write(line);
                out.write('\n');
            }
        }
        assertThat(Files.size(log)).isGreaterThan(3L * HEAP_MB * 1024 * 1024);
        Path report = dir.resolve("report.json");
        Path err = dir.resolve("err.txt");

        Process replay = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + HEAP_MB + "m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                GatehousePolicyCommand.class.getName(), "replay", "--log", log.toString(), "--config",
                candidate.toString(), "--format", "json", "--max-flips", "10"))
                .redirectOutput(report.toFile()).redirectError(err.toFile()).start();
        boolean ended = replay.waitFor(180, TimeUnit.SECONDS);
        if (!ended) {
            replay.destroyForcibly();
        }

        assertThat(ended).as("replay ended within 180 s").isTrue();
        assertThat(replay.exitValue()).as(Files.readString(err)).isZero();
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("lines").asLong()).isEqualTo(LINES);
        assertThat(json.at("/counts/allow_to_deny").asLong()).isEqualTo(LINES);
        assertThat(json.get("flips")).hasSize(10);
        assertThat(json.get("flips_not_shown").asLong()).isEqualTo(LINES - 10);
    }
}
