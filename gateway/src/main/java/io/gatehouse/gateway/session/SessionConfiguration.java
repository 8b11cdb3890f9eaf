package io.gatehouse.gateway.session;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.ReactiveMapSessionRepository;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;

/**
 * Wires the session store: an in-memory Spring Session repository unless another {@link ReactiveSessionRepository}
 * bean exists, and the filter that keeps the gateway's cookies from upstreams (always on, login configured or not).
 */
@Configuration(proxyBeanMethods = false)
public class SessionConfiguration {

    @Bean
    @ConditionalOnMissingBean(ReactiveSessionRepository.class)
    ReactiveSessionRepository<? extends Session> gatehouseSessionRepository() {
        return new ReactiveMapSessionRepository(new ConcurrentHashMap<>());
    }

    @Bean
    BrowserSessions browserSessions(ReactiveSessionRepository<? extends Session> repository,
                                    @Value("${gatehouse.oidc.session-max-age:8h}") Duration maxAge) {
        return new BrowserSessions(repository, maxAge);
    }

    @Bean
    SessionCookieStripFilter sessionCookieStripFilter() {
        return new SessionCookieStripFilter();
    }
}
