package io.gatehouse.gateway.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.gateway.settings.KnownProperties.Source;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Which keys are known, in which spellings, and which known key is suggested for a misspelt one. */
class KnownPropertiesTest {

    private static final KnownProperties KNOWN = KnownProperties.fromClasspath(
            KnownPropertiesTest.class.getClassLoader());

    private static ConfigurationPropertyName name(String key) {
        return ConfigurationPropertyName.of(key);
    }

    /** The name Spring's environment-variable source gives a variable (GATEHOUSE_A_0_B → gatehouse.a[0].b). */
    private static ConfigurationPropertyName variable(String variable) {
        SystemEnvironmentPropertySource source = new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(variable, "value"));
        IterableConfigurationPropertySource names = (IterableConfigurationPropertySource)
                ConfigurationPropertySources.from(source).iterator().next();
        return names.stream().findFirst().orElseThrow();
    }

    @Test
    void isKnownWhenKeyReadByConfigurationPropertiesOrValueThenTrue() {
        assertThat(KNOWN.isKnown(name("gatehouse.oidc.issuer-uri"), Source.FILE_OR_ARGUMENT)).isTrue();
        assertThat(KNOWN.isKnown(name("gatehouse.decision-log.drain-timeout"), Source.FILE_OR_ARGUMENT)).isTrue();
        assertThat(KNOWN.isKnown(name("gatehouse.forward.pool.max-connections"), Source.FILE_OR_ARGUMENT)).isTrue();
        assertThat(KNOWN.isKnown(name("gatehouse.strict-properties"), Source.FILE_OR_ARGUMENT)).isTrue();
    }

    @Test
    void isKnownWhenListIndexedOrNestedInListElementThenTrue() {
        assertThat(KNOWN.isKnown(name("gatehouse.bearer.issuers[3].issuer-uri"), Source.FILE_OR_ARGUMENT)).isTrue();
        assertThat(KNOWN.isKnown(name("gatehouse.bearer.issuers[0].audiences[2]"), Source.FILE_OR_ARGUMENT)).isTrue();
        assertThat(KNOWN.isKnown(name("gatehouse.signing.keys[1].retire-after"), Source.FILE_OR_ARGUMENT)).isTrue();
        assertThat(KNOWN.isKnown(name("gatehouse.hygiene.strip-headers[0]"), Source.FILE_OR_ARGUMENT)).isTrue();
        assertThat(KNOWN.isKnown(name("gatehouse.hygiene.strip-headers"), Source.FILE_OR_ARGUMENT)).isTrue();
    }

    @Test
    void isKnownWhenMisspeltOrUnderAScalarOrIndexWithoutListThenFalse() {
        assertThat(KNOWN.isKnown(name("gatehouse.oidc.isuer-uri"), Source.FILE_OR_ARGUMENT)).isFalse();
        assertThat(KNOWN.isKnown(name("gatehouse.bearer.issuers[0].audiance"), Source.FILE_OR_ARGUMENT)).isFalse();
        assertThat(KNOWN.isKnown(name("gatehouse.oidc.issuer-uri.extra"), Source.FILE_OR_ARGUMENT)).isFalse();
        assertThat(KNOWN.isKnown(name("gatehouse.oidc.client-id[0]"), Source.FILE_OR_ARGUMENT)).isFalse();
        assertThat(KNOWN.isKnown(name("gatehouse.signing.keys[0]"), Source.FILE_OR_ARGUMENT)).isFalse();
    }

    @Test
    void isKnownWhenEnvironmentVariableInModernOrUnderscoreForDashFormThenTrue() {
        assertThat(KNOWN.isKnown(variable("GATEHOUSE_OIDC_ISSUERURI"), Source.ENVIRONMENT_VARIABLE)).isTrue();
        assertThat(KNOWN.isKnown(variable("GATEHOUSE_BEARER_ISSUERS_0_AUDIENCES_0"), Source.ENVIRONMENT_VARIABLE))
                .isTrue();
        assertThat(KNOWN.isKnown(variable("GATEHOUSE_DECISION_LOG_DRAIN_TIMEOUT"), Source.ENVIRONMENT_VARIABLE))
                .isTrue();
        assertThat(KNOWN.isKnown(variable("GATEHOUSE_DEVICE_CA"), Source.ENVIRONMENT_VARIABLE)).isTrue();
    }

    @Test
    void isKnownWhenUnderscoreForDashOutsideEnvironmentThenFalse() {
        // gatehouse.device.ca in a file is not gatehouse.device-ca to Spring's binder: nothing would read it.
        assertThat(KNOWN.isKnown(name("gatehouse.device.ca"), Source.FILE_OR_ARGUMENT)).isFalse();
    }

    @Test
    void suggestWhenOneLetterOffThenNearestKnownKey() {
        assertThat(KNOWN.suggest(name("gatehouse.oidc.isuer-uri"), Source.FILE_OR_ARGUMENT))
                .contains("gatehouse.oidc.issuer-uri");
        assertThat(KNOWN.suggest(name("gatehouse.inventory.tokne-uri"), Source.FILE_OR_ARGUMENT))
                .contains("gatehouse.inventory.token-uri");
    }

    @Test
    void suggestWhenInListElementThenKeepsTheIndices() {
        assertThat(KNOWN.suggest(name("gatehouse.bearer.issuers[2].audiance"), Source.FILE_OR_ARGUMENT))
                .contains("gatehouse.bearer.issuers[2].audiences");
        assertThat(KNOWN.suggest(variable("GATEHOUSE_SIGNING_KEYS_1_PTH"), Source.ENVIRONMENT_VARIABLE))
                .contains("gatehouse.signing.keys[1].path");
    }

    @Test
    void suggestWhenNothingIsCloseThenEmpty() {
        assertThat(KNOWN.suggest(name("gatehouse.completely-different-thing"), Source.FILE_OR_ARGUMENT)).isEmpty();
    }

    @Test
    void ofWhenMapOfScalarsThenAnyKeyBelowIsKnown() {
        KnownProperties known = KnownProperties.of(Map.of("gatehouse.labels", "java.util.Map<java.lang.String,"
                + "java.lang.String>"), getClass().getClassLoader());
        assertThat(known.isKnown(name("gatehouse.labels.team"), Source.FILE_OR_ARGUMENT)).isTrue();
        assertThat(known.isKnown(name("gatehouse.labels"), Source.FILE_OR_ARGUMENT)).isFalse();
        assertThat(known.names()).containsExactly("gatehouse.labels.*");
    }

    @Test
    void variableNameWhenIndexedDashedKeyThenSpringsEnvironmentForm() {
        assertThat(UnknownPropertyCheck.variableName("gatehouse.bearer.issuers[0].issuer-uri"))
                .isEqualTo("GATEHOUSE_BEARER_ISSUERS_0_ISSUERURI");
        assertThat(variable("GATEHOUSE_BEARER_ISSUERS_0_ISSUERURI").isNumericIndex(3)).isTrue();
    }
}
