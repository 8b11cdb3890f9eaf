package io.gatehouse.deviceinventory.trust;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.deviceinventory.platform.OsVersion;
import io.gatehouse.deviceinventory.platform.Platform;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The documented environment variables bind to {@code inventory.trust.*}. */
class TrustPropertiesBindingTest {

    @Test
    void bindWhenEnvironmentVariablesThenThresholdsAndMinimums() {
        // the name makes Spring map env-var names (upper case, underscores) to property names
        SystemEnvironmentPropertySource envVars = new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(
                "INVENTORY_TRUST_HIGHMAXREPORTAGE", "12h",
                "INVENTORY_TRUST_BASICMAXREPORTAGE", "3d",
                "INVENTORY_TRUST_MINOSVERSION_MACOS", "15.2"));
        TrustProperties p = new Binder(ConfigurationPropertySources.from(List.of(envVars)))
                .bind("inventory.trust", TrustProperties.class).get();
        assertThat(p.highAge()).isEqualTo(Duration.ofHours(12));
        assertThat(p.basicAge()).isEqualTo(Duration.ofDays(3));
        assertThat(p.minimums()).containsEntry(Platform.MACOS, OsVersion.parse("15.2").orElseThrow());
    }
}
