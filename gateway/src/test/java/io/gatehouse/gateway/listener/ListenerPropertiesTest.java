package io.gatehouse.gateway.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/** The listener limits a gateway runs with when nothing is configured, and the values refused at startup. */
class ListenerPropertiesTest {

    @Test
    void defaultsWhenNothingSetThenProductionValues() {
        ListenerProperties defaults = new ListenerProperties(null, null, null, null, null);

        assertThat(defaults.tlsHandshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.headerReadTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(defaults.bodyReadTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.bodyTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(defaults.maxConnections()).isEqualTo(10_000);
    }

    /** Spring Boot's own key; unset, Reactor Netty never closes an idle connection. */
    @Test
    void applicationYmlWhenReadThenIdleTimeoutSet() throws IOException {
        List<PropertySource<?>> yaml = new YamlPropertySourceLoader().load("application.yml",
                new ClassPathResource("application.yml"));

        assertThat(yaml).extracting(source -> String.valueOf(source.getProperty("server.netty.idle-timeout")))
                .containsExactly("60s");
    }

    @Test
    void constructWhenTimeoutZeroThenRefusedWithItsKey() {
        assertThatThrownBy(() -> new ListenerProperties(null, Duration.ZERO, null, null, null))
                .hasMessageContaining("gatehouse.listener.header-read-timeout must be positive");
    }

    @Test
    void constructWhenMaxConnectionsZeroThenRefused() {
        assertThatThrownBy(() -> new ListenerProperties(null, null, null, null, 0))
                .hasMessageContaining("gatehouse.listener.max-connections must be at least 1");
    }
}
