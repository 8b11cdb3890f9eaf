package io.gatehouse.gateway.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TrustedProxiesTest {

    @ParameterizedTest
    @CsvSource({"10.0.0.0/8, 10.1.2.3, true", "10.0.0.0/8, 11.0.0.1, false", "192.168.1.7, 192.168.1.7, true",
            "192.168.1.7, 192.168.1.8, false", "10.20.0.0/14, 10.23.255.255, true", "10.20.0.0/14, 10.24.0.0, false",
            "fd00::/8, fd12::1, true", "fd00::/8, 10.0.0.1, false", "0.0.0.0/0, 203.0.113.9, true"})
    void trustsWhenPeerInRangeThenTrue(String cidr, String peer, boolean expected) {
        TrustedProxies proxies = new TrustedProxies(List.of(cidr));

        assertThat(proxies.trusts(new InetSocketAddress(peer, 443))).isEqualTo(expected);
    }

    @Test
    void trustsWhenNoneConfiguredThenNobody() {
        assertThat(TrustedProxies.none().trusts(new InetSocketAddress("127.0.0.1", 1))).isFalse();
        assertThat(TrustedProxies.none().trusts(null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "proxy.example", "10.0.0.0/x", "::1/129", ""})
    void constructorWhenCidrInvalidThenFailsNamingIt(String cidr) {
        assertThatIllegalArgumentException().isThrownBy(() -> new TrustedProxies(List.of(cidr)))
                .withMessageContaining("gatehouse.trusted-proxies");
    }
}
