package io.gatehouse.gateway.decisionlog;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
import org.slf4j.LoggerFactory;

/**
 * Where the decision log goes when nobody said otherwise: stdout, each JSON line as it is ({@code %msg%n}, UTF-8), not
 * through the console pattern and not also to the root logger's appenders, so a log pipeline can parse every line
 * as JSON.
 *
 * <p>Set up in code rather than in a {@code logback-spring.xml}: an XML file makes Logback start its XML
 * configurator and the JDK's XML parser on every start (about a quarter of a second here), for one appender. A
 * logging configuration of the operator's own ({@code logging.config}) that gives {@code gatehouse.decision} an
 * appender is left alone.
 */
final class DecisionLogSink {

    static final String APPENDER = "DECISION_LOG";

    private DecisionLogSink() {
    }

    /** Gives the logger the stdout appender unless it already has one; true when it did. */
    static boolean attachStdoutUnlessConfigured(String loggerName) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return false; // another SLF4J binding: its own configuration decides
        }
        Logger logger = context.getLogger(loggerName);
        if (logger.iteratorForAppenders().hasNext()) {
            return false;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
        stdout.setContext(context);
        stdout.setName(APPENDER);
        stdout.setEncoder(encoder);
        stdout.start();
        logger.addAppender(stdout);
        logger.setAdditive(false);
        return true;
    }
}
