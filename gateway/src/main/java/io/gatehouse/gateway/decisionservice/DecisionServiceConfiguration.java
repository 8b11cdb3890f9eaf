package io.gatehouse.gateway.decisionservice;

import io.gatehouse.gateway.assertion.AssertionSigner;
import io.gatehouse.gateway.authn.BearerAuthenticator;
import io.gatehouse.gateway.config.LiveConfig;
import io.gatehouse.gateway.decision.LoginStart;
import io.gatehouse.gateway.decisionlog.DecisionFactsProperties;
import io.gatehouse.gateway.decisionlog.DecisionLogWriter;
import io.gatehouse.gateway.device.ClientCertificates;
import io.gatehouse.gateway.device.DeviceResolver;
import io.gatehouse.gateway.device.PostureClient;
import io.gatehouse.gateway.session.SessionAuthenticator;
import io.gatehouse.gateway.settings.KeyWatchProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the decision service's shared parts: the {@link DecisionPipeline} over the stages' beans, the
 * {@link CallerTrust} of {@code gatehouse.authz.callers}, the {@link AuthzMetrics} and the listeners' one
 * {@link AuthzTlsSource} (their TLS material, reloaded when its files change). The listeners
 * ({@code decisionservice.http}, {@code decisionservice.grpc}) start only when their port is set.
 */
@Configuration(proxyBeanMethods = false)
public class DecisionServiceConfiguration {

    @Bean
    DecisionPipeline decisionPipeline(LiveConfig config, Clock clock, BearerAuthenticator bearer,
                                      ObjectProvider<SessionAuthenticator> sessions, PostureClient postures,
                                      ClientCertificates certificates, ObjectProvider<LoginStart> login,
                                      AssertionSigner signer, DecisionLogWriter writer,
                                      DecisionFactsProperties facts, MeterRegistry meters) {
        return new DecisionPipeline(config, clock, bearer, sessions.getIfAvailable(),
                new DeviceResolver(postures, certificates), login.getIfAvailable(), signer, writer, facts, meters);
    }

    @Bean
    CallerTrust callerTrust(AuthzProperties properties) {
        return new CallerTrust(properties.callers());
    }

    @Bean
    AuthzTlsSource authzTlsSource(AuthzProperties properties, ServerProperties server, MeterRegistry meters,
                                  KeyWatchProperties keyWatch) {
        return new AuthzTlsSource(properties, server.getSsl(), meters, keyWatch.pollInterval());
    }

    @Bean
    AuthzMetrics authzMetrics(MeterRegistry meters) {
        return new AuthzMetrics(meters);
    }
}
