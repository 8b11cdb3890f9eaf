package io.gatehouse.gateway.login;

import io.gatehouse.gateway.config.LiveConfig;
import io.gatehouse.gateway.session.BrowserSessions;
import io.gatehouse.gateway.session.SessionAuthenticator;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Browser login, wired only when {@code gatehouse.oidc.issuer-uri} is set: the OIDC client, the login starter the
 * DECIDE stage calls, the session authenticator the AUTHENTICATE stage calls, and the login endpoints (ordered before
 * the reserved-path catch-all).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${gatehouse.oidc.issuer-uri:}' != ''")
public class LoginConfiguration {

    @Bean
    OidcClient oidcClient(OidcProperties properties, Clock clock) {
        return new OidcClient(properties, clock);
    }

    @Bean
    BrowserLogin browserLogin(OidcClient oidc, BrowserSessions sessions, OidcProperties properties) {
        return new BrowserLogin(oidc, sessions, properties);
    }

    @Bean
    SessionAuthenticator sessionAuthenticator(BrowserSessions sessions, OidcClient oidc, OidcProperties properties,
                                              io.micrometer.core.instrument.MeterRegistry meters,
                                              Clock clock) {
        return new SessionAuthenticator(sessions, oidc, clock, properties.refreshSkew(), meters);
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    RouterFunction<ServerResponse> loginRoutes(OidcClient oidc, BrowserSessions sessions, OidcProperties properties,
                                               Clock clock, LiveConfig config,
                                               io.micrometer.core.instrument.MeterRegistry meters) {
        return new LoginRouter(oidc, sessions, properties, clock, config, meters).routes();
    }
}
