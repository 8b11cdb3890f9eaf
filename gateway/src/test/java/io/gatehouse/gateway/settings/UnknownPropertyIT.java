package io.gatehouse.gateway.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.gateway.listener.ListenerProperties;
import io.gatehouse.gateway.testing.RunningGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A misspelt {@code gatehouse.*} key stops the real gateway at startup, wherever it was set (command line, a config
 * file, an environment variable), with the key, its origin and the known key meant; correct keys in every accepted
 * spelling start it.
 */
class UnknownPropertyIT {

    @TempDir
    Path dir;

    @Test
    void startWhenOidcIssuerUriMisspeltOnCommandLineThenFailsWithKeyOriginAndSuggestion() {
        assertThatStartup(() -> RunningGateway.builder(dir)
                .property("gatehouse.oidc.isuer-uri", "https://idp.test").start())
                .contains("gatehouse.oidc.isuer-uri (from command line): did you mean gatehouse.oidc.issuer-uri?");
    }

    @Test
    void startWhenKeyMisspeltInConfigFileThenFailsWithFileLineAndColumn() throws Exception {
        Path file = dir.resolve("extra.yml");
        Files.writeString(file, """
                gatehouse:
                  oidc:
                    client-id: gateway
                    isuer-uri: https://idp.test
                """);
        assertThatStartup(() -> RunningGateway.builder(dir)
                .property("spring.config.additional-location", "file:" + file).start())
                .contains("gatehouse.oidc.isuer-uri (from " + file + ":4:16): did you mean gatehouse.oidc.issuer-uri?");
    }

    @Test
    void startWhenEnvironmentVariableMisspeltThenFailsNamingTheVariableAndTheRightOne() {
        assertThatStartup(() -> RunningGateway.builder(dir)
                .environmentVariable("GATEHOUSE_OIDC_ISUERURI", "https://idp.test").start())
                .contains("GATEHOUSE_OIDC_ISUERURI (from environment variable): did you mean"
                        + " GATEHOUSE_OIDC_ISSUERURI (gatehouse.oidc.issuer-uri)?");
    }

    @Test
    void startWhenListElementKeyMisspeltThenSuggestionKeepsTheIndex() {
        assertThatStartup(() -> RunningGateway.builder(dir)
                .property("gatehouse.bearer.issuers[1].issuer-uri", "https://idp.test")
                .property("gatehouse.bearer.issuers[1].audiance", "api").start())
                .contains("gatehouse.bearer.issuers[1].audiance (from command line): did you mean"
                        + " gatehouse.bearer.issuers[1].audiences?")
                .doesNotContain("issuers[1].issuer-uri (");
    }

    @Test
    void startWhenStrictPropertiesOffThenUnknownKeyOnlyWarnsAndGatewayStarts() {
        try (RunningGateway gateway = RunningGateway.builder(dir)
                .property("gatehouse.oidc.isuer-uri", "https://idp.test")
                .property("gatehouse.strict-properties", false).start()) {
            assertThat(gateway.httpsPort()).isPositive();
        }
    }

    @Test
    void startWhenEnvironmentVariablesUseEveryAcceptedFormThenGatewayStartsAndBindsThem() {
        try (RunningGateway gateway = RunningGateway.builder(dir)
                .environmentVariable("GATEHOUSE_LISTENER_MAXCONNECTIONS", "123")
                .environmentVariable("GATEHOUSE_DECISION_LOG_DRAIN_TIMEOUT", "7s")
                .environmentVariable("GATEHOUSE_HYGIENE_STRIP_HEADERS", "x-remote-user")
                .environmentVariable("GATEHOUSE_JAVA_OPTS", "-Xmx256m")
                .environmentVariable("GATEHOUSE_VERIFIER_ISSUER", "https://gatehouse.test").start()) {
            assertThat(gateway.context().getBean(ListenerProperties.class).maxConnections()).isEqualTo(123);
            assertThat(gateway.context().getEnvironment().getProperty("gatehouse.decision-log.drain-timeout"))
                    .isEqualTo("7s");
        }
    }

    private static org.assertj.core.api.AbstractStringAssert<?> assertThatStartup(ThrowingCallable start) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(start);
        assertThat(thrown).as("startup must fail").isNotNull();
        Throwable cause = thrown;
        while (cause != null && !(cause instanceof UnknownPropertiesException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("cause chain of %s", thrown).isInstanceOf(UnknownPropertiesException.class);
        return assertThat(cause.getMessage());
    }
}
