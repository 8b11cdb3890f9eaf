package io.gatehouse.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UpstreamSetCookieFilterTest {

    @ParameterizedTest
    @ValueSource(strings = {"__Host-gatehouse=x; Path=/", "__Host-gatehouse-login=x", "__host-GATEHOUSE=x",
            "  __Host-gatehouse  =x", "__Host-gatehouse", "__Host-gatehouse-future=1", "=__Host-gatehouse=x"})
    void namesOursWhenCookieNameIsTheGatewaysThenTrue(String setCookie) {
        assertThat(UpstreamSetCookieFilter.namesOurs(setCookie)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"app=1; Path=/", "gatehouse=1", "__Host-app=__Host-gatehouse", "x=1; Path=/__Host-gatehouse",
            "__Secure-gatehouse=1"})
    void namesOursWhenAnotherCookieThenFalse(String setCookie) {
        assertThat(UpstreamSetCookieFilter.namesOurs(setCookie)).isFalse();
    }
}
