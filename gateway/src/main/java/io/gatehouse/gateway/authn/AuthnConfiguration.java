package io.gatehouse.gateway.authn;

import io.gatehouse.gateway.settings.GatehouseProperties;
import io.gatehouse.gateway.session.SessionAuthenticator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.ChannelOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

/**
 * Wires the AUTHENTICATE stage: one {@link IssuerVerifier} per {@code gatehouse.bearer.issuers[i]} (discovery and
 * JWKS are fetched lazily and reactively, so an IdP that is down at startup does not stop the gateway), the
 * {@link BearerAuthenticator} (closed with the context, which stops the key sources' refresh threads) and the
 * filter. A bearer issuer equal to {@code gatehouse.issuer} fails startup.
 */
@Configuration(proxyBeanMethods = false)
public class AuthnConfiguration {

    @Bean
    BearerAuthenticator bearerAuthenticator(BearerProperties properties,
                                            GatehouseProperties gatehouse,
                                            ObjectProvider<Clock> clock, ObjectProvider<MeterRegistry> meters) {
        Clock now = clock.getIfAvailable(Clock::systemUTC);
        WebClient webClient = issuerWebClient();
        MeterRegistry registry = meters.getIfAvailable(SimpleMeterRegistry::new);
        List<IssuerVerifier> verifiers = properties.issuers().stream()
                .map(issuer -> new IssuerVerifier(issuer, properties.clockSkew(), now, webClient,
                        properties.jwksRefreshInterval(), properties.jwksOutageTolerance(), registry))
                .toList();
        return new BearerAuthenticator(verifiers, gatehouse.issuer(), now, properties.cacheSize(),
                properties.jwksRefreshInterval(), registry);
    }

    @Bean
    AuthenticateStep authenticateStep(BearerAuthenticator bearerAuthenticator,
                                                ObjectProvider<SessionAuthenticator> sessionAuthenticator) {
        return new AuthenticateStep(bearerAuthenticator, sessionAuthenticator.getIfAvailable());
    }

    /** Discovery and JWKS fetches: short timeouts, so a slow IdP fails one request instead of piling them up. */
    static WebClient issuerWebClient() {
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2_000)
                .responseTimeout(Duration.ofSeconds(5));
        return WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
    }
}
