package io.gatehouse.gateway.device;

import io.gatehouse.gateway.settings.GatehouseProperties;
import io.gatehouse.gateway.settings.KeyWatchProperties;
import io.gatehouse.gateway.exchange.TrustedProxies;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.common.CompositeCustomizer;
import io.github.resilience4j.common.circuitbreaker.configuration.CommonCircuitBreakerConfigurationProperties;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.ChannelOption;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

/**
 * Wires the DEVICE stage: the device CA for forwarded certificates, the client-credentials token client (when
 * {@code token-uri} is set), the circuit breaker {@code device-inventory}, the posture client and the filter.
 *
 * <p>The breaker is tuned with Resilience4j's own keys,
 * {@code resilience4j.circuitbreaker.instances.device-inventory.*} (defaults below otherwise), and its
 * {@code resilience4j_circuitbreaker_*} metrics are published. Resilience4j's Spring Boot auto-configuration is not
 * used for it (GatewayApplication excludes it): for one breaker it brought annotation aspects, SpEL and fallback
 * machinery, seven CGLIB-enhanced configuration classes and about 200 classes to every start.
 */
@Configuration(proxyBeanMethods = false)
public class DeviceConfiguration {

    static final String BREAKER = "device-inventory";

    @Bean
    @ConfigurationProperties("resilience4j.circuitbreaker")
    CommonCircuitBreakerConfigurationProperties inventoryBreakerProperties() {
        return new CommonCircuitBreakerConfigurationProperties();
    }

    @Bean
    PostureClient postureClient(InventoryProperties inventory, CommonCircuitBreakerConfigurationProperties breakers,
                                ObjectProvider<MeterRegistry> meters) {
        WebClient web = inventoryWebClient(inventory.timeout());
        InventoryTokenClient tokens = inventory.tokenUri() == null ? null
                : new InventoryTokenClient(web, inventory.tokenUri(), require(inventory.clientId(), "client-id"),
                        require(inventory.clientSecret(), "client-secret"), inventory.scope());
        MeterRegistry meterRegistry = meters.getIfAvailable(SimpleMeterRegistry::new);
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(breakerConfig(breakers));
        CircuitBreaker breaker = registry.circuitBreaker(BREAKER);
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meterRegistry);
        return new PostureClient(web, inventory, tokens, breaker, meterRegistry);
    }

    /** {@code resilience4j.circuitbreaker.instances.device-inventory.*} when set, else {@link #defaultBreaker()}. */
    static CircuitBreakerConfig breakerConfig(CommonCircuitBreakerConfigurationProperties breakers) {
        return breakers.findCircuitBreakerProperties(BREAKER)
                .map(tuned -> breakers.createCircuitBreakerConfig(BREAKER, tuned, new CompositeCustomizer<>(List.of())))
                .orElseGet(DeviceConfiguration::defaultBreaker);
    }

    @Bean
    DeviceStep deviceStep(PostureClient postureClient, DeviceProperties device,
                                    TrustedProxies trustedProxies, ClientCertificates certificates) {
        return new DeviceStep(postureClient, certificates, trustedProxies, device.forwardedCertificateHeader());
    }

    @Bean
    ClientCertificates clientCertificates(GatehouseProperties gatehouse) {
        return ClientCertificates.fromDeviceCa(gatehouse.deviceCa());
    }

    /** Re-reads the device CA for forwarded certificates when its file changes (docs/operations.md, "Rotation"). */
    @Bean(destroyMethod = "close")
    DeviceCaWatch deviceCaWatch(ClientCertificates certificates, KeyWatchProperties keyWatch,
                                ObjectProvider<MeterRegistry> meters) {
        return DeviceCaWatch.start(certificates, keyWatch.pollInterval(), meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    /** Opens after half of at least 5 of the last 10 calls failed or were slower than the timeout; probes after 10 s. */
    static CircuitBreakerConfig defaultBreaker() {
        return CircuitBreakerConfig.custom()
                .slidingWindowSize(10)
                .minimumNumberOfCalls(5)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(10))
                .permittedNumberOfCallsInHalfOpenState(2)
                .build();
    }

    static WebClient inventoryWebClient(Duration timeout) {
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(100, timeout.toMillis()))
                .responseTimeout(timeout.plusMillis(100));
        return WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
    }

    private static String require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("gatehouse.inventory." + name + " is required when"
                    + " gatehouse.inventory.token-uri is set");
        }
        return value;
    }
}
