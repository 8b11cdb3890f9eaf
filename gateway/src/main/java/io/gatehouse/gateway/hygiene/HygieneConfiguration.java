package io.gatehouse.gateway.hygiene;

import io.gatehouse.gateway.device.DeviceProperties;
import io.gatehouse.gateway.exchange.TrustedProxies;
import io.gatehouse.gateway.exchange.TrustedProxyProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the HYGIENE stage: the trusted front proxies (parsed once; a bad CIDR fails startup), the headers to strip
 * (built-in identity headers plus {@code gatehouse.hygiene.strip-headers}; a bad entry fails startup, and the
 * forwarded-certificate header DEVICE reads from trusted proxies) and the filter.
 */
@Configuration(proxyBeanMethods = false)
public class HygieneConfiguration {

    private static final Logger log = LoggerFactory.getLogger(HygieneConfiguration.class);

    @Bean
    TrustedProxies trustedProxies(TrustedProxyProperties properties) {
        return new TrustedProxies(properties.trustedProxies());
    }

    @Bean
    InboundHeaders inboundHeaders(HygieneProperties hygiene, DeviceProperties device) {
        IdentityHeaders identity = new IdentityHeaders(hygiene.stripHeaders());
        if (!identity.configured().isEmpty()) {
            log.info("gatehouse.hygiene.strip-headers: also removing {} from every request", identity.configured());
        }
        return new InboundHeaders(identity, device.forwardedCertificateHeader());
    }

    @Bean
    HygieneStep hygieneStep(TrustedProxies trustedProxies, InboundHeaders inboundHeaders,
                                      ObjectProvider<MeterRegistry> meters) {
        return new HygieneStep(trustedProxies, inboundHeaders, meters.getIfAvailable(SimpleMeterRegistry::new));
    }
}
