package io.gatehouse.gateway.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

class AddressesTest {

    @Test
    void hostWhenHostHeaderInCapitalsThenLowerCasedWithItsPort() {
        MockServerHttpRequest request = MockServerHttpRequest.get("http://App.Example:8080/x")
                .header("Host", "App.Example:8080").build();

        assertThat(Addresses.host(request)).isEqualTo("app.example:8080");
        assertThat(Addresses.hostName(request)).isEqualTo("app.example");
        assertThat(Addresses.port(request)).isEqualTo(8080);
    }

    @Test
    void canonicalHostWhenSchemesDefaultPortNamedThenDropped() {
        MockServerHttpRequest request = MockServerHttpRequest.get("http://app.example/x")
                .header("Host", "app.example:80").build();

        assertThat(Addresses.canonicalHost(request)).isEqualTo("app.example");
        assertThat(Addresses.origin(request)).isEqualTo("http://app.example");
    }

    @Test
    void canonicalHostWhenBracketedIpv6WithoutPortThenKept() {
        MockServerHttpRequest request = MockServerHttpRequest.get("http://[::80]/x").header("Host", "[::80]").build();

        assertThat(Addresses.canonicalHost(request)).isEqualTo("[::80]");
    }

    @Test
    void schemeWhenNoTlsThenHttpAndPortDefaultsTo80() {
        MockServerHttpRequest request = MockServerHttpRequest.get("http://app.example/x").build();

        assertThat(Addresses.scheme(request)).isEqualTo("http");
        assertThat(Addresses.port(request)).isEqualTo(80);
    }

    @Test
    void sourceIpWhenPeerKnownThenItsAddressElseUnspecified() {
        assertThat(Addresses.sourceIp(MockServerHttpRequest.get("/x")
                .remoteAddress(new InetSocketAddress("192.0.2.7", 5000)).build())).isEqualTo("192.0.2.7");
        assertThat(Addresses.sourceIp(MockServerHttpRequest.get("/x").build())).isEqualTo("0.0.0.0");
    }

    @Test
    void sourceIpWhenLinkLocalIpv6PeerWithZoneThenAddressWithoutTheZone() throws Exception {
        byte[] fe80 = new byte[16];
        fe80[0] = (byte) 0xfe;
        fe80[1] = (byte) 0x80;
        fe80[15] = 1;
        InetAddress scoped = Inet6Address.getByAddress(null, fe80, 3);
        assertThat(scoped.getHostAddress()).contains("%"); // what the JDK writes: fe80:0:0:0:0:0:0:1%3

        String ip = Addresses.sourceIp(MockServerHttpRequest.get("/x")
                .remoteAddress(new InetSocketAddress(scoped, 5000)).build());

        assertThat(ip).isEqualTo("fe80:0:0:0:0:0:0:1"); // policy CIDRs and the decision log's ipv6 format
    }
}
