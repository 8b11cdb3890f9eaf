package io.gatehouse.gateway.hygiene;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the HYGIENE stage: the trusted front proxies (parsed once; a bad CIDR fails startup) and the filter. */
@Configuration(proxyBeanMethods = false)
public class HygieneConfiguration {

    @Bean
    TrustedProxies trustedProxies(TrustedProxyProperties properties) {
        return new TrustedProxies(properties.trustedProxies());
    }

    @Bean
    HygieneWebFilter hygieneWebFilter(TrustedProxies trustedProxies, ObjectProvider<MeterRegistry> meters) {
        return new HygieneWebFilter(trustedProxies, meters.getIfAvailable(SimpleMeterRegistry::new));
    }
}
