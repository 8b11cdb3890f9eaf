package io.gatehouse.gateway.hygiene;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RawConnection;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A request that names no host, black-box over raw connections. HTTP/1.1 requires Host (RFC 9112, 3.2: a request
 * without it gets 400) and an https request over HTTP/2 requires {@code :authority} or Host (RFC 9113, 8.3.1, else
 * malformed): both get 400 from HYGIENE and never reach an upstream. Before, Reactor Netty filled in the listener's
 * own address and the request was routed by it (here: to the {@code localhost} route). HTTP/1.0 had no Host, but a
 * route picked by the gateway's own address is no better a guess there: 400 too.
 */
class MissingHostIT extends GatewayITSupport {

    @Test
    void http11WhenNoHostThen400() {
        RawHttp.Response answer = RawHttp.send(gateway.pki(), gateway.httpsPort(), "GET /no-host HTTP/1.1\r\n\r\n");

        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        assertThat(answer.text()).contains("Host");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void http11WhenEmptyHostThen400() {
        RawHttp.Response answer = RawHttp.send(gateway.pki(), gateway.httpsPort(),
                "GET /empty-host HTTP/1.1\r\nHost: \r\n\r\n");

        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void http10WhenNoHostThen400() {
        RawHttp.Response answer = RawHttp.send(gateway.pki(), gateway.httpsPort(), "GET /no-host HTTP/1.0\r\n\r\n");

        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void http11WhenHostThenRouted() {
        RawHttp.Response answer = RawHttp.send(gateway.pki(), gateway.httpsPort(),
                "GET /with-host HTTP/1.1\r\nHost: localhost\r\n\r\n");

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    }

    @Test
    void http2WhenNoAuthorityNorHostThen400() throws IOException {
        try (RawConnection connection = RawConnection.h2(gateway.pki(), gateway.httpsPort())) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put(":method", "GET");
            fields.put(":scheme", "https");
            fields.put(":path", "/h2-no-authority");
            connection.headers(1, fields, true);

            assertThat(connection.responseHeaders(1).status().toString()).isEqualTo("400");
        }
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void http2WhenAuthorityThenRouted() throws IOException {
        try (RawConnection connection = RawConnection.h2(gateway.pki(), gateway.httpsPort())) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put(":method", "GET");
            fields.put(":scheme", "https");
            fields.put(":authority", "localhost");
            fields.put(":path", "/h2-authority");
            connection.headers(1, fields, true);

            assertThat(connection.responseHeaders(1).status().toString()).isEqualTo("200");
        }
    }
}
