package io.gatehouse.gateway.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The trusted load balancers' ranges: off when absent, literal CIDRs only, a bad entry named at startup. */
class ProxyProtocolPropertiesTest {

    @Test
    void bindWhenAbsentThenOff() {
        ProxyProtocolProperties properties = new ProxyProtocolProperties(null);

        assertThat(properties.enabled()).isFalse();
        assertThat(properties.rules()).isEmpty();
    }

    @Test
    void rulesWhenCidrsAndBareAddressesThenTheyMatchTheirRangesOnly() {
        var rules = new ProxyProtocolProperties(List.of("10.0.1.0/24", " 192.0.2.7 ", "2001:db8::/32")).rules();

        assertThat(rules).anyMatch(r -> r.matches(new InetSocketAddress("10.0.1.200", 1)));
        assertThat(rules).anyMatch(r -> r.matches(new InetSocketAddress("192.0.2.7", 1)));
        assertThat(rules).anyMatch(r -> r.matches(new InetSocketAddress("2001:db8:1::5", 1)));
        assertThat(rules).noneMatch(r -> r.matches(new InetSocketAddress("10.0.2.1", 1)));
        assertThat(rules).noneMatch(r -> r.matches(new InetSocketAddress("192.0.2.8", 1)));
    }

    /** The form docs/deploy-kubernetes.md gives for the Deployment's env. */
    @Test
    void bindWhenEnvironmentVariableIsCommaSeparatedThenEveryRangeTrusted() {
        Binder binder = new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of("GATEHOUSE_LISTENER_PROXYPROTOCOL_TRUSTEDADDRESSES", "10.0.1.0/24,10.0.2.0/24"))));

        ProxyProtocolProperties bound = binder.bind("gatehouse.listener.proxy-protocol",
                ProxyProtocolProperties.class).get();

        assertThat(bound.trustedAddresses()).containsExactly("10.0.1.0/24", "10.0.2.0/24");
        assertThat(bound.enabled()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nlb.internal", "10.0.0.0/33", "10.0.0.0/x", "10.0.1.0/16", "", "::1/129"})
    void bindWhenEntryIsNoLiteralCidrThenStartupFailsNamingIt(String entry) {
        assertThatIllegalArgumentException().isThrownBy(() -> new ProxyProtocolProperties(List.of(entry)))
                .withMessageStartingWith("gatehouse.listener.proxy-protocol.trusted-addresses: \"" + entry + "\"");
    }
}
