package io.gatehouse.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code gatehouse.config} (the path of gatehouse.yaml; env {@code GATEHOUSE_CONFIG}) and
 * {@code gatehouse.config-watch.poll-interval} (how often the watcher looks at the file even when the file system
 * sent no event; default 2 s) and {@code gatehouse.config-watch.settle-interval} (how long a changed file must stay
 * the same, size, modification time and content, before it is loaded: a file written in place is never loaded
 * half-written; default 1 s). Other {@code gatehouse.*} keys belong to other features and are ignored here.
 */
@ConfigurationProperties("gatehouse")
public class ConfigFileProperties {

    private @Nullable Path config;
    private final Watch configWatch = new Watch();

    public @Nullable Path getConfig() { return config; }
    public void setConfig(@Nullable Path config) { this.config = config; }
    public Watch getConfigWatch() { return configWatch; }

    public static class Watch {
        private Duration pollInterval = Duration.ofSeconds(2);
        private Duration settleInterval = Duration.ofSeconds(1);

        public Duration getPollInterval() { return pollInterval; }
        public void setPollInterval(Duration pollInterval) { this.pollInterval = pollInterval; }
        public Duration getSettleInterval() { return settleInterval; }
        public void setSettleInterval(Duration settleInterval) { this.settleInterval = settleInterval; }
    }
}
