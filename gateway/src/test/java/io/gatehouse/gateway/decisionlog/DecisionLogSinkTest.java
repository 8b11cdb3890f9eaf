package io.gatehouse.gateway.decisionlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.classic.Level;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class DecisionLogSinkTest {

    private static final String JSON_LINE = "{\"request_id\":\"r-1\",\"why\":{\"reasons\":[\"grüße\"]}}";

    private final String loggerName = "gatehouse.decision.test." + System.nanoTime();
    private final Logger logger = (Logger) LoggerFactory.getLogger(loggerName);
    private final PrintStream realOut = System.out;

    @AfterEach
    void restore() {
        System.setOut(realOut);
        logger.detachAndStopAllAppenders();
        logger.setAdditive(true);
        logger.setLevel(null);
    }

    @Test
    void sinkWhenLoggerHasNoAppenderThenEachEventIsItsMessageAloneOnStdout() {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));

        assertThat(DecisionLogSink.attachStdoutUnlessConfigured(loggerName)).isTrue();
        logger.info(JSON_LINE);
        logger.info(JSON_LINE);

        assertThat(stdout.toString(StandardCharsets.UTF_8))
                .isEqualTo(JSON_LINE + System.lineSeparator() + JSON_LINE + System.lineSeparator());
        assertThat(logger.isAdditive()).as("not also through the root logger's console pattern").isFalse();
        assertThat(logger.getAppender(DecisionLogSink.APPENDER)).isNotNull();
    }

    @Test
    void sinkWhenOperatorsConfigurationGaveTheLoggerAnAppenderThenLeftAlone() {
        ListAppender<ILoggingEvent> operators = new ListAppender<>();
        operators.start();
        logger.addAppender(operators);

        assertThat(DecisionLogSink.attachStdoutUnlessConfigured(loggerName)).isFalse();
        logger.info(JSON_LINE);

        assertThat(logger.getAppender(DecisionLogSink.APPENDER)).isNull();
        assertThat(logger.isAdditive()).isTrue();
        assertThat(operators.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(JSON_LINE);
    }

    @Test
    void forLoggerWhenStdoutRefusesTheLineThenWriteThrowsAndWorksAgainOnAHealthyStdout() {
        LineSink sink = DecisionLogSink.forLogger(loggerName);
        System.setOut(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        }, true, StandardCharsets.UTF_8));

        assertThatThrownBy(() -> sink.write(JSON_LINE)).isInstanceOf(IOException.class)
                .isNotInstanceOf(LineSink.Disabled.class).hasMessageContaining("stdout refused the line");

        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        assertThatNoException().isThrownBy(() -> sink.write(JSON_LINE));
        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo(JSON_LINE + System.lineSeparator());
    }

    @Test
    void forLoggerWhenLoggerSwitchedOffThenWriteSaysDisabled() {
        LineSink sink = DecisionLogSink.forLogger(loggerName);
        logger.setLevel(Level.OFF);

        assertThatThrownBy(() -> sink.write(JSON_LINE)).isInstanceOf(LineSink.Disabled.class)
                .hasMessageContaining("is OFF");
    }
}
