package io.gatehouse.gateway.config;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Loads gatehouse.yaml at startup ({@code gatehouse.config} is required) and starts its watcher. */
@Configuration(proxyBeanMethods = false)
class ConfigConfiguration {

    @Bean
    LiveConfig liveConfig(ConfigFileProperties properties, MeterRegistry meters) {
        Path file = properties.getConfig();
        if (file == null) {
            throw new IllegalStateException("gatehouse.config is not set: it names the gatehouse.yaml with the routes"
                    + " and policies (env GATEHOUSE_CONFIG)");
        }
        return new LiveConfig(file, meters);
    }

    @Bean
    ConfigWatcher configWatcher(LiveConfig config, ConfigFileProperties properties) {
        return new ConfigWatcher(config, properties.getConfigWatch().getPollInterval());
    }
}
