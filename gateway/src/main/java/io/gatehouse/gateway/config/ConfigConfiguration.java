package io.gatehouse.gateway.config;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Loads gatehouse.yaml at startup ({@code gatehouse.config} is required) and starts its watcher. */
@Configuration(proxyBeanMethods = false)
class ConfigConfiguration {

    @Bean
    LiveConfig liveConfig(ConfigFileProperties properties, MeterRegistry meters, Clock clock) {
        Path file = properties.getConfig();
        if (file == null) {
            throw new IllegalStateException("gatehouse.config is not set: it names the gatehouse.yaml with the routes"
                    + " and policies (env GATEHOUSE_CONFIG)");
        }
        Duration settle = properties.getConfigWatch().getSettleInterval();
        if (settle.isNegative()) {
            throw new IllegalStateException("gatehouse.config-watch.settle-interval must not be negative, not " + settle);
        }
        return new LiveConfig(file, meters, settle, clock);
    }

    @Bean
    ConfigWatcher configWatcher(LiveConfig config, ConfigFileProperties properties) {
        Duration poll = properties.getConfigWatch().getPollInterval();
        if (poll.isNegative() || poll.isZero()) {
            throw new IllegalStateException("gatehouse.config-watch.poll-interval must be positive, not " + poll);
        }
        return new ConfigWatcher(config, poll);
    }
}
