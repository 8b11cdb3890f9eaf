package io.gatehouse.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisReactiveAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisRepositoriesAutoConfiguration;
import org.springframework.boot.autoconfigure.session.SessionAutoConfiguration;
import org.springframework.boot.autoconfigure.security.oauth2.resource.reactive.ReactiveOAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.autoconfigure.security.reactive.ReactiveSecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.security.reactive.ReactiveUserDetailsServiceAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.security.reactive.ReactiveManagementWebSecurityAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import java.time.Clock;

/**
 * Starts the gateway: the public HTTPS listener and, on its own port, the management endpoints.
 *
 * <p>Spring Security's reactive auto-configuration is excluded on purpose. Our stages (see {@link RequestStage})
 * ARE the security of the public listener; Boot's default chain would add HTTP Basic and a form login with a
 * generated password in front of every route, and a resource-server chain would answer 401 on its own terms
 * before DECIDE could explain the decision. The security libraries stay on the classpath for their JOSE and JWT
 * code only. The management port has no Spring Security either: it must be reachable only from inside the
 * cluster (NetworkPolicy, see k8s/), and it serves health and metrics, nothing that changes state.
 */
@SpringBootApplication(proxyBeanMethods = false, exclude = {
        ReactiveSecurityAutoConfiguration.class,
        ReactiveUserDetailsServiceAutoConfiguration.class,
        ReactiveOAuth2ResourceServerAutoConfiguration.class,
        ReactiveManagementWebSecurityAutoConfiguration.class,
        // Browser sessions choose their store themselves (session.SessionConfiguration): Redis only when
        // spring.data.redis.url/host/sentinel/cluster is set (then it imports RedisAutoConfiguration itself). Boot's
        // auto-configuration would connect to localhost:6379 by default.
        SessionAutoConfiguration.class,
        RedisAutoConfiguration.class,
        RedisReactiveAutoConfiguration.class,
        RedisRepositoriesAutoConfiguration.class},
        // Of Resilience4j only the inventory's circuit breaker is used, wired in device.DeviceConfiguration with
        // Resilience4j's own property keys and metrics. Its auto-configuration would add annotation aspects, SpEL,
        // fallbacks, registries of patterns never used and seven CGLIB-enhanced classes to every start.
        //
        // Also excluded: what would configure parts the gateway has no use for. No database or Spring Data repository
        // (transactions, exception translation, SQL init, repository metrics), no Spring cache, no @Scheduled, no
        // OpenTelemetry log export (traces only), no service discovery or registration (upstreams are URLs from
        // gatehouse.yaml), Lettuce metrics (session.SessionConfiguration builds its own Redis client), and the
        // refresh/restart endpoints, which are never exposed. Each costs start time to evaluate and build.
        // Trace exemplars on /actuator/prometheus are off: Micrometer puts them on a timer's _count line, which
        // Prometheus's OpenMetrics parser refuses ("does not support exemplars"), failing the whole scrape whenever a
        // sampled request was recorded (seen with Debian's Prometheus in PostureAlertIT).
        excludeName = {
        "org.springframework.boot.actuate.autoconfigure.tracing.prometheus.PrometheusExemplarsAutoConfiguration",
        "io.github.resilience4j.springboot3.verifier.autoconfigure.SpringBoot3VerifierAutoConfiguration",
        "io.github.resilience4j.springboot3.bulkhead.autoconfigure.BulkheadAutoConfiguration",
        "io.github.resilience4j.springboot3.bulkhead.autoconfigure.BulkheadMetricsAutoConfiguration",
        "io.github.resilience4j.springboot3.bulkhead.autoconfigure.ThreadPoolBulkheadMetricsAutoConfiguration",
        "io.github.resilience4j.springboot3.retry.autoconfigure.RetryAutoConfiguration",
        "io.github.resilience4j.springboot3.retry.autoconfigure.RetryMetricsAutoConfiguration",
        "io.github.resilience4j.springboot3.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration",
        "io.github.resilience4j.springboot3.circuitbreaker.autoconfigure.CircuitBreakerStreamEventsAutoConfiguration",
        "io.github.resilience4j.springboot3.circuitbreaker.autoconfigure.CircuitBreakerMetricsAutoConfiguration",
        "io.github.resilience4j.springboot3.circuitbreaker.autoconfigure.CircuitBreakersHealthIndicatorAutoConfiguration",
        "io.github.resilience4j.springboot3.ratelimiter.autoconfigure.RateLimiterAutoConfiguration",
        "io.github.resilience4j.springboot3.ratelimiter.autoconfigure.RateLimiterMetricsAutoConfiguration",
        "io.github.resilience4j.springboot3.ratelimiter.autoconfigure.RateLimitersHealthIndicatorAutoConfiguration",
        "io.github.resilience4j.springboot3.timelimiter.autoconfigure.TimeLimiterAutoConfiguration",
        "io.github.resilience4j.springboot3.timelimiter.autoconfigure.TimeLimiterMetricsAutoConfiguration",
        "io.github.resilience4j.springboot3.micrometer.autoconfigure.TimerAutoConfiguration",
        "io.github.resilience4j.springboot3.scheduled.threadpool.autoconfigure.ContextAwareScheduledThreadPoolAutoConfiguration",
        "org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration",
        "org.springframework.boot.autoconfigure.dao.PersistenceExceptionTranslationAutoConfiguration",
        "org.springframework.boot.autoconfigure.sql.init.SqlInitializationAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.data.RepositoryMetricsAutoConfiguration",
        "org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.scheduling.ScheduledTasksObservabilityAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.logging.OpenTelemetryLoggingAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.redis.LettuceMetricsAutoConfiguration",
        "org.springframework.cloud.client.CommonsClientAutoConfiguration",
        "org.springframework.cloud.client.ReactiveCommonsClientAutoConfiguration",
        "org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration",
        "org.springframework.cloud.client.discovery.simple.reactive.SimpleReactiveDiscoveryClientAutoConfiguration",
        "org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration",
        "org.springframework.cloud.client.discovery.composite.reactive.ReactiveCompositeDiscoveryClientAutoConfiguration",
        "org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationAutoConfiguration",
        "org.springframework.cloud.gateway.discovery.GatewayDiscoveryClientAutoConfiguration",
        "org.springframework.cloud.autoconfigure.LifecycleMvcEndpointAutoConfiguration",
        "org.springframework.cloud.autoconfigure.RefreshEndpointAutoConfiguration"})
@ConfigurationPropertiesScan
public class GatewayApplication {

    static {
        // A TLS 1.2 client may not renegotiate: it would let a connection change its client certificate (the device)
        // after the first request, and it is a cheap way to make the server do handshakes. TLS 1.3 has none. This
        // holds for the JDK's TLS, the fallback; BoringSSL (the default, tls.DeviceCaTls logs which) never
        // renegotiates as a server.
        System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
    }

    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }

    /** The time source of every stage (token expiry, policy time windows, assertion iat/exp); tests may replace it. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
