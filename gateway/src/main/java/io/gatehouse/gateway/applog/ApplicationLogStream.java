package io.gatehouse.gateway.applog;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.filter.Filter;
import java.util.Locale;
import org.slf4j.LoggerFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.SmartApplicationListener;

/**
 * Moves Spring Boot's console appender ({@code CONSOLE} on the root logger) to stderr when
 * {@code gatehouse.logging.application-stream=stderr}, right after Spring Boot configured logging, and turns the
 * banner off (it is printed on stdout). With {@code logging.structured.format.console=ecs} the application logs are
 * then ECS JSON on stderr and stdout holds only decision-log lines. The default, {@code stdout}, changes nothing.
 * A value other than {@code stdout} or {@code stderr} stops startup, naming the property and the allowed values.
 */
public final class ApplicationLogStream implements SmartApplicationListener {

    /** The property, read from the environment before the context exists. */
    public static final String PROPERTY = "gatehouse.logging.application-stream";

    private static final String CONSOLE = "CONSOLE";

    @Override
    public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
        return ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(eventType);
    }

    @Override
    public int getOrder() {
        return LoggingApplicationListener.DEFAULT_ORDER + 1; // after Spring Boot (re)configured Logback
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        ApplicationEnvironmentPreparedEvent prepared = (ApplicationEnvironmentPreparedEvent) event;
        String value = prepared.getEnvironment().getProperty(PROPERTY, "stdout").strip().toLowerCase(Locale.ROOT);
        switch (value) {
            case "stdout" -> { }
            case "stderr" -> {
                prepared.getSpringApplication().setBannerMode(Banner.Mode.OFF);
                moveConsoleToStderr();
            }
            default -> throw new IllegalStateException(
                    PROPERTY + ": \"" + value + "\" is not one of stdout, stderr");
        }
    }

    private static void moveConsoleToStderr() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J binding: its own configuration decides
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Appender<ILoggingEvent> appender = root.getAppender(CONSOLE);
        if (!(appender instanceof ConsoleAppender<ILoggingEvent> console) || "System.err".equals(console.getTarget())) {
            return; // an operator's own logging.config: left as it is
        }
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName(CONSOLE);
        stderr.setTarget("System.err");
        stderr.setEncoder(console.getEncoder());
        for (Filter<ILoggingEvent> filter : console.getCopyOfAttachedFiltersList()) {
            stderr.addFilter(filter);
        }
        stderr.start();
        root.detachAppender(console);
        root.addAppender(stderr);
    }
}
