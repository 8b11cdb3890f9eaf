package io.gatehouse.gateway.decisionlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Several sinks, each in its format: every sink gets every line, one failing sink does not starve the others. */
class FormattedSinksTest {

    private static final String LINE = """
            {"timestamp":"2026-12-06T19:30:00Z","request_id":"r-1","trace_id":null,\
            "who":{"subject":null,"email":null,"groups":[],"auth":"anonymous"},\
            "what":{"method":"GET","host":"h","path":"/","route":"r"},\
            "why":{"decision":"allow","enforced":true,"mode":"enforce","rule":"anyone","reasons":[]},\
            "where":{"source_ip":"127.0.0.1","user_agent":null,"device_id":null,"device_trust":null,"tls":null},\
            "result":{"status":200,"latency_ms":1.0},"policy":{"version":"v"},"assertion_jti":null}""";

    private final List<String> plain = new ArrayList<>();
    private final List<String> ocsf = new ArrayList<>();

    @Test
    void writeWhenTwoSinksThenEachGetsTheLineInItsFormat() throws IOException {
        sinks(plain::add, ocsf::add).write(LINE);

        assertThat(plain).containsExactly(LINE);
        assertThat(ocsf).singleElement().asString().contains("\"class_uid\":4002", "\"uid\":\"r-1\"");
    }

    @Test
    void writeWhenOneSinkFailsThenTheOtherStillGetsTheLineAndTheFailureNamesTheSink() {
        FormattedSinks sinks = sinks(line -> {
            throw new IOException("disk full");
        }, ocsf::add);

        assertThatThrownBy(() -> sinks.write(LINE)).isInstanceOf(IOException.class)
                .hasMessageContaining("plain").hasMessageContaining("disk full");
        assertThat(ocsf).hasSize(1);
    }

    @Test
    void writeWhenEverySinkIsSwitchedOffThenDisabled() {
        FormattedSinks sinks = sinks(line -> {
            throw new LineSink.Disabled("off");
        }, line -> {
            throw new LineSink.Disabled("off");
        });

        assertThatThrownBy(() -> sinks.write(LINE)).isInstanceOf(LineSink.Disabled.class);
    }

    @Test
    void writeWhenOneSinkIsSwitchedOffThenTheOtherCountsAsWritten() throws IOException {
        sinks(line -> {
            throw new LineSink.Disabled("off");
        }, ocsf::add).write(LINE);

        assertThat(ocsf).hasSize(1);
    }

    @Test
    void propertiesWhenTwoSinksNameOneLoggerThenRefused() {
        assertThatThrownBy(() -> new DecisionLogProperties(null, null, null, List.of(
                new DecisionLogProperties.Sink(null, DecisionLogFormat.GATEHOUSE),
                new DecisionLogProperties.Sink("gatehouse.decision", DecisionLogFormat.OCSF))))
                .hasMessageContaining("same logger");
    }

    @Test
    void propertiesWhenNoSinksThenOneOnGatehouseDecisionInTheGatehouseFormat() {
        assertThat(new DecisionLogProperties(null, null, null, null).sinks()).containsExactly(
                new DecisionLogProperties.Sink("gatehouse.decision", DecisionLogFormat.GATEHOUSE));
    }

    private static FormattedSinks sinks(LineSink plain, LineSink ocsf) {
        return new FormattedSinks(List.of(new FormattedSinks.Target("plain", DecisionLogFormat.GATEHOUSE, plain),
                new FormattedSinks.Target("ocsf", DecisionLogFormat.OCSF, ocsf)), new OcsfLine("t"));
    }
}
