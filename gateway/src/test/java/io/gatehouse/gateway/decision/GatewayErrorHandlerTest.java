package io.gatehouse.gateway.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

class GatewayErrorHandlerTest {

    @Test
    void statusOfWhenUpstreamTimedOutThen504() {
        assertThat(GatewayErrorHandler.statusOf(new RuntimeException(new TimeoutException("read")))).isEqualTo(HttpStatus.GATEWAY_TIMEOUT);
        assertThat(GatewayErrorHandler.statusOf(new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT))).isEqualTo(HttpStatus.GATEWAY_TIMEOUT);
        assertThat(GatewayErrorHandler.statusOf(io.netty.handler.timeout.ReadTimeoutException.INSTANCE)).isEqualTo(HttpStatus.GATEWAY_TIMEOUT);
    }

    @Test
    void statusOfWhenUpstreamRefusedThen502() {
        assertThat(GatewayErrorHandler.statusOf(new ConnectException("refused"))).isEqualTo(HttpStatus.BAD_GATEWAY);
    }

    @Test
    void statusOfWhenAnythingElseThen500() {
        assertThat(GatewayErrorHandler.statusOf(new IllegalStateException("bug"))).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
    }
}
