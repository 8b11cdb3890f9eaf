package io.gatehouse.gateway.decisionservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** {@link GrpcListenerProperties}: the documented defaults, and a clear error for a bound that bounds nothing. */
class GrpcListenerPropertiesTest {

    @Test
    void defaultsWhenNothingSetThenTheDocumentedBounds() {
        GrpcListenerProperties limits = GrpcListenerProperties.defaults();

        assertThat(limits.checkTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(limits.maxMessageSize()).isEqualTo(DataSize.ofKilobytes(256));
        assertThat(limits.maxHeaderListSize()).isEqualTo(DataSize.ofKilobytes(8));
        assertThat(limits.maxConcurrentCallsPerConnection()).isEqualTo(1000);
        assertThat(limits.keepAliveTime()).isEqualTo(Duration.ofMinutes(1));
        assertThat(limits.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(limits.permitKeepAliveTime()).isEqualTo(Duration.ofSeconds(10));
        assertThat(limits.maxConnectionIdle()).isEqualTo(Duration.ofMinutes(5));
        assertThat(limits.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(limits.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(limits.maxConnections()).isEqualTo(1000);
    }

    @Test
    void maxConnectionsWhenZeroThenRefusedNamingTheKey() {
        assertThatThrownBy(() -> new GrpcListenerProperties(null, null, null, null, null, null, null, null, null, null,
                0)).hasMessage("gatehouse.authz.grpc.max-connections must be at least 1, not 0");
    }

    @Test
    void checkTimeoutWhenZeroThenRefusedNamingTheKey() {
        assertThatThrownBy(() -> new GrpcListenerProperties(Duration.ZERO, null, null, null, null, null, null, null,
                null, null, null)).hasMessage("gatehouse.authz.grpc.check-timeout must be positive, not PT0S");
    }

    @Test
    void maxMessageSizeWhenBelowOneKilobyteThenRefused() {
        assertThatThrownBy(() -> new GrpcListenerProperties(null, DataSize.ofBytes(10), null, null, null, null, null,
                null, null, null, null)).hasMessageContaining("gatehouse.authz.grpc.max-message-size");
    }

    @Test
    void maxConcurrentCallsWhenZeroThenRefused() {
        assertThatThrownBy(() -> new GrpcListenerProperties(null, null, null, 0, null, null, null, null, null, null,
                null))
                .hasMessageContaining("max-concurrent-calls-per-connection must be at least 1");
    }
}
