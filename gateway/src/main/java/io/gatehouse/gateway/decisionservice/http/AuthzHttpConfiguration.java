package io.gatehouse.gateway.decisionservice.http;

import io.gatehouse.gateway.decisionservice.AuthzMetrics;
import io.gatehouse.gateway.decisionservice.AuthzProperties;
import io.gatehouse.gateway.decisionservice.AuthzTls;
import io.gatehouse.gateway.decisionservice.AuthzTlsSource;
import io.gatehouse.gateway.decisionservice.CallerTrust;
import io.gatehouse.gateway.decisionservice.DecisionPipeline;
import io.gatehouse.gateway.listener.ConnectionLimits;
import io.gatehouse.gateway.listener.ListenerProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.ssl.ClientAuth;
import java.time.Duration;
import java.util.Objects;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.netty.http.Http2SslContextSpec;

/**
 * Starts the HTTP authz listener when {@code gatehouse.authz.http.port} is set (docs/decision-service.md). Client
 * certificates are required when any caller is trusted by certificate ({@code gatehouse.authz.client-ca}); TLS 1.3
 * and 1.2 as on the public listener.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("gatehouse.authz.http.port")
public class AuthzHttpConfiguration {

    @Bean
    AuthzHttpServer authzHttpServer(AuthzProperties properties, ServerProperties server, ListenerProperties limits,
                                    DecisionPipeline pipeline, CallerTrust trust, AuthzMetrics metrics,
                                    MeterRegistry meters, AuthzTlsSource tlsSource) {
        AuthzTls tls = tlsSource.tls();
        Http2SslContextSpec spec = null;
        if (tls != null) {
            var callers = tls.callerTrustManagers();
            boolean need = properties.certificateCallers() && callers != null;
            spec = Http2SslContextSpec.forServer(tls.keyManagers()).configure(builder -> {
                builder.protocols("TLSv1.3", "TLSv1.2");
                if (need) {
                    builder.trustManager(callers).clientAuth(ClientAuth.REQUIRE);
                }
            });
        }
        Duration idle = server.getNetty().getIdleTimeout() != null ? server.getNetty().getIdleTimeout()
                : Duration.ofSeconds(60);
        AuthzHttpServer.Settings settings = new AuthzHttpServer.Settings(properties.address(),
                Objects.requireNonNull(properties.http().port(), "port"), spec,
                (int) server.getMaxHttpRequestHeaderSize().toBytes(), idle,
                ConnectionLimits.forListener(limits, meters, "gatehouse_authz_listener",
                        "the decision service's HTTP listener"));
        return new AuthzHttpServer(settings, new AuthzHttpRouter(pipeline, trust, metrics));
    }
}
