package io.gatehouse.gateway.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** The startup failure report names every unknown key, and the way out. */
class UnknownPropertiesFailureAnalyzerTest {

    @Test
    void analyzeWhenUnknownKeysThenDescriptionListsEachAndActionNamesTheEscapeHatch() {
        UnknownPropertiesException failure = new UnknownPropertiesException(List.of(
                new UnknownProperty("gatehouse.oidc.isuer-uri", "/etc/gatehouse/application.yml:4:16",
                        "gatehouse.oidc.issuer-uri"),
                new UnknownProperty("GATEHOUSE_FOO", "environment variable", null)));

        FailureAnalysis analysis = new UnknownPropertiesFailureAnalyzer().analyze(new IllegalStateException(failure));

        assertThat(analysis.getDescription()).contains(
                "gatehouse.oidc.isuer-uri (from /etc/gatehouse/application.yml:4:16): did you mean"
                        + " gatehouse.oidc.issuer-uri?",
                "GATEHOUSE_FOO (from environment variable): no known key is close");
        assertThat(analysis.getAction()).contains("gatehouse.strict-properties=false", "docs/configuration.md");
    }
}
