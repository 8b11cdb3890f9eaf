package io.gatehouse.gateway.decisionlog;

import io.gatehouse.gateway.config.LiveConfig;
import io.gatehouse.gateway.management.PublicListener;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The decision-log writer ({@code gatehouse.decision-log.queue-capacity}, default 65536) and the RECORD stage. */
@Configuration(proxyBeanMethods = false)
class DecisionLogConfiguration {

    @Bean
    DecisionLogWriter decisionLogWriter(@Value("${gatehouse.decision-log.queue-capacity:65536}") int capacity,
                                        MeterRegistry meters) {
        return new DecisionLogWriter(capacity, meters);
    }

    @Bean
    RecordWebFilter recordWebFilter(DecisionLogWriter writer, LiveConfig config, Clock clock, PublicListener publicListener) {
        return new RecordWebFilter(writer, config, clock, publicListener);
    }
}
