package io.gatehouse.gateway.settings;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Spring Boot's startup failure report (Description, Action) for {@link UnknownPropertiesException}. */
public final class UnknownPropertiesFailureAnalyzer extends AbstractFailureAnalyzer<UnknownPropertiesException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnknownPropertiesException cause) {
        return new FailureAnalysis(cause.getMessage() + "\n\nThe gateway reads no such key: Spring would ignore it and"
                + " leave the default of the key meant in force.",
                "Correct the spelling of each key where it is set, or remove it. Every known key is in"
                        + " docs/configuration.md and in META-INF/spring-configuration-metadata.json of the gateway"
                        + " jar. To start anyway and only log unknown keys, set gatehouse.strict-properties=false.",
                cause);
    }
}
