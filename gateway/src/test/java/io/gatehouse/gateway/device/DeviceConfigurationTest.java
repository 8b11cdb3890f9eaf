package io.gatehouse.gateway.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.common.circuitbreaker.configuration.CommonCircuitBreakerConfigurationProperties;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class DeviceConfigurationTest {

    @Test
    void breakerWhenNotTunedThenGatehouseDefaults() {
        CircuitBreakerConfig config = DeviceConfiguration.breakerConfig(bind(Map.of()));

        assertThat(config.getSlidingWindowSize()).isEqualTo(10);
        assertThat(config.getMinimumNumberOfCalls()).isEqualTo(5);
        assertThat(config.getFailureRateThreshold()).isEqualTo(50f);
        assertThat(config.getWaitIntervalFunctionInOpenState().apply(1)).isEqualTo(10_000L);
        assertThat(config.getPermittedNumberOfCallsInHalfOpenState()).isEqualTo(2);
    }

    @Test
    void breakerWhenTunedWithResilience4jKeysThenThoseApply() {
        CircuitBreakerConfig config = DeviceConfiguration.breakerConfig(bind(Map.of(
                "resilience4j.circuitbreaker.instances.device-inventory.sliding-window-size", "4",
                "resilience4j.circuitbreaker.instances.device-inventory.minimum-number-of-calls", "2",
                "resilience4j.circuitbreaker.instances.device-inventory.wait-duration-in-open-state", "3s")));

        assertThat(config.getSlidingWindowSize()).isEqualTo(4);
        assertThat(config.getMinimumNumberOfCalls()).isEqualTo(2);
        assertThat(config.getWaitIntervalFunctionInOpenState().apply(1)).isEqualTo(Duration.ofSeconds(3).toMillis());
    }

    @Test
    void breakerWhenAnotherInstanceTunedThenGatehouseDefaults() {
        CircuitBreakerConfig config = DeviceConfiguration.breakerConfig(bind(Map.of(
                "resilience4j.circuitbreaker.instances.something-else.sliding-window-size", "4")));

        assertThat(config.getSlidingWindowSize()).isEqualTo(10);
    }

    private static CommonCircuitBreakerConfigurationProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bind("resilience4j.circuitbreaker", Bindable.of(CommonCircuitBreakerConfigurationProperties.class))
                .orElseGet(CommonCircuitBreakerConfigurationProperties::new);
    }
}
