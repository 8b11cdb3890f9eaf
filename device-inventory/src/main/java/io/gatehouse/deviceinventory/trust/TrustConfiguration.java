package io.gatehouse.deviceinventory.trust;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the one {@link TrustPolicy} from {@code inventory.trust.*}; a bad value fails the start. */
@Configuration(proxyBeanMethods = false)
class TrustConfiguration {

    @Bean
    TrustPolicy trustPolicy(TrustProperties properties) {
        return TrustPolicy.from(properties);
    }

    @Bean
    TrustSql trustSql(TrustPolicy policy) {
        return new TrustSql(policy);
    }
}
