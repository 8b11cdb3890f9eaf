package io.gatehouse.gateway.longlived;

import io.gatehouse.gateway.authn.BearerProperties;
import io.gatehouse.gateway.config.LiveConfig;
import io.gatehouse.gateway.decisionlog.DecisionLogWriter;
import io.gatehouse.gateway.device.InventoryProperties;
import io.gatehouse.gateway.device.PostureClient;
import io.gatehouse.gateway.session.SessionAuthenticator;
import io.gatehouse.gateway.session.SessionEvents;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.socket.server.WebSocketService;

/**
 * Wires continuous authorization (docs/design.md, "Long-lived connections"): the registry, the re-decider, the
 * tracker's scheduler, and the wrapping of Spring Cloud Gateway's {@code webSocketService} bean. That bean is a
 * plain {@code @Bean} in SCG's {@code GatewayAutoConfiguration} (no {@code @ConditionalOnMissingBean}), so a second
 * one would be ambiguous; a post-processor wraps it instead, and so every WebSocket SCG proxies is tracked.
 */
@Configuration(proxyBeanMethods = false)
class LongLivedConfiguration {

    @Bean
    ConnectionTracker connectionTracker(LongLivedProperties properties, LiveConfig config,
                                        ObjectProvider<SessionAuthenticator> sessions, PostureClient postures,
                                        InventoryProperties inventory, BearerProperties bearer,
                                        DecisionLogWriter writer, Clock clock, MeterRegistry meters,
                                        ObjectProvider<SessionEvents> sessionEvents) {
        ConnectionRegistry registry = new ConnectionRegistry(properties.maxConnections(), meters);
        Redecider redecider = new Redecider(config, sessions.getIfAvailable(), postures, clock, properties,
                bearer.clockSkew(), new ConnectionLines(writer, clock), new LongLivedMetrics(meters));
        return new ConnectionTracker(registry, redecider, config, postures, inventory.cacheTtl(), clock,
                properties.maxConcurrentRedecisions(), sessionEvents.getIfAvailable());
    }

    @Bean
    StreamTrackingWebFilter streamTrackingWebFilter(ConnectionTracker tracker, LongLivedProperties properties) {
        return new StreamTrackingWebFilter(tracker, properties.streamAfter());
    }

    /** Static: a post-processor exists before the beans it processes; the tracker is looked up when first needed. */
    @Bean
    static BeanPostProcessor trackingWebSocketService(ObjectProvider<ConnectionTracker> tracker,
                                                      ObjectProvider<LongLivedProperties> properties) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof WebSocketService service && !(bean instanceof RegisteringWebSocketService)) {
                    return new RegisteringWebSocketService(service, tracker.getObject(),
                            properties.getObject().closeTimeout());
                }
                return bean;
            }
        };
    }
}
