package io.gatehouse.gateway.decisionlog;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.Appender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * Where the decision log goes when nobody said otherwise: stdout, each JSON line as it is (UTF-8), not through the
 * console pattern and not also to the root logger's appenders, so a log pipeline can parse every line as JSON
 * ({@link StdoutAppender}, which reports lines stdout refused).
 *
 * <p>Set up in code rather than in a {@code logback-spring.xml}: an XML file makes Logback start its XML
 * configurator and the JDK's XML parser on every start (about a quarter of a second here), for one appender. A
 * logging configuration of the operator's own ({@code logging.config}) that gives {@code gatehouse.decision} an
 * appender is left alone; Logback does not tell the caller when such an appender fails, so then a line counts as
 * written once Logback took it.
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
        StdoutAppender stdout = new StdoutAppender();
        stdout.setContext(context);
        stdout.setName(APPENDER);
        stdout.start();
        logger.addAppender(stdout);
        logger.setAdditive(false);
        return true;
    }

    /**
     * The line sink of the logger {@code loggerName} (stdout attached unless configured): a line is written when the
     * logger took it and stdout, if it is ours, did not refuse it; a logger switched off writes nothing.
     */
    static LineSink forLogger(String loggerName) {
        attachStdoutUnlessConfigured(loggerName);
        org.slf4j.Logger out = LoggerFactory.getLogger(loggerName);
        return line -> {
            if (!out.isInfoEnabled()) {
                throw new LineSink.Disabled("logging.level." + loggerName + " is OFF");
            }
            @Nullable StdoutAppender stdout = stdout(out);
            long before = stdout == null ? 0 : stdout.failures();
            out.info(line);
            if (stdout != null) {
                stdout.check(before);
            }
        };
    }

    private static @Nullable StdoutAppender stdout(org.slf4j.Logger out) {
        if (out instanceof Logger logback) {
            Appender<ILoggingEvent> appender = logback.getAppender(APPENDER);
            return appender instanceof StdoutAppender ours ? ours : null;
        }
        return null;
    }
}
