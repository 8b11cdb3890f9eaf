package io.gatehouse.gateway.decisionservice.grpc;

import io.gatehouse.gateway.decisionlog.DecisionLogWriter;
import io.gatehouse.gateway.decisionservice.AuthzMetrics;
import io.gatehouse.gateway.decisionservice.AuthzProperties;
import io.gatehouse.gateway.decisionservice.AuthzTls;
import io.gatehouse.gateway.decisionservice.AuthzTlsSource;
import io.gatehouse.gateway.decisionservice.CallerTrust;
import io.gatehouse.gateway.decisionservice.DecisionPipeline;
import io.gatehouse.gateway.hygiene.InboundHeaders;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Objects;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the Envoy gRPC ext_authz listener when {@code gatehouse.authz.grpc.port} is set (unset: no listener, no
 * bean). Its TLS material is {@link AuthzTls}'s: {@code gatehouse.authz.tls.*}, else the public listener's
 * {@code server.ssl.*}, and {@code gatehouse.authz.client-ca} for the callers' certificates, shared with the HTTP
 * listener and reloaded when its files change.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("gatehouse.authz.grpc.port")
public class GrpcConfiguration {

    @Bean
    EnvoyAnswers envoyAnswers(InboundHeaders inboundHeaders) {
        // Envoy is a trusted front proxy here: its own forwarding headers (X-Forwarded-For, XFCC) stay.
        return new EnvoyAnswers(name -> inboundHeaders.mustRemove(name, true));
    }

    @Bean
    GrpcCheckService grpcCheckService(DecisionPipeline pipeline, EnvoyAnswers answers, AuthzMetrics metrics,
                                      DecisionLogWriter writer, Clock clock, GrpcListenerProperties limits) {
        return new GrpcCheckService(pipeline, answers, metrics, writer, clock, limits.checkTimeout());
    }

    @Bean
    CallerInterceptor callerInterceptor(CallerTrust trust, DecisionPipeline pipeline, AuthzMetrics metrics) {
        return new CallerInterceptor(trust, pipeline, metrics);
    }

    @Bean
    GrpcListener grpcListener(AuthzProperties authz, GrpcListenerProperties limits, GrpcCheckService service,
                              CallerInterceptor callers, AuthzTlsSource tls, MeterRegistry meters) {
        int port = Objects.requireNonNull(authz.grpc().port(), "gatehouse.authz.grpc.port");
        return new GrpcListener(new GrpcListener.Binding(authz.address(), port, tls.tls(),
                authz.certificateCallers()), limits, service, callers, meters);
    }
}
