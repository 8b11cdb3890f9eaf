package io.gatehouse.gateway.device;

import io.gatehouse.gateway.hygiene.TrustedProxies;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.ChannelOption;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

/**
 * Wires the DEVICE stage: the device CA for forwarded certificates, the client-credentials token client (when
 * {@code token-uri} is set), the circuit breaker {@code device-inventory} (from Resilience4j's registry, so
 * {@code resilience4j.circuitbreaker.instances.device-inventory.*} can tune it; defaults below otherwise), the
 * posture client and the filter.
 */
@Configuration(proxyBeanMethods = false)
public class DeviceConfiguration {

    static final String BREAKER = "device-inventory";

    @Bean
    PostureClient postureClient(InventoryProperties inventory, ObjectProvider<CircuitBreakerRegistry> breakers,
                                ObjectProvider<MeterRegistry> meters) {
        WebClient web = inventoryWebClient(inventory.timeout());
        InventoryTokenClient tokens = inventory.tokenUri() == null ? null
                : new InventoryTokenClient(web, inventory.tokenUri(), require(inventory.clientId(), "client-id"),
                        require(inventory.clientSecret(), "client-secret"), inventory.scope());
        CircuitBreakerRegistry registry = breakers.getIfAvailable(() -> CircuitBreakerRegistry.of(defaultBreaker()));
        CircuitBreaker breaker = registry.find(BREAKER)
                .orElseGet(() -> registry.circuitBreaker(BREAKER, defaultBreaker()));
        return new PostureClient(web, inventory, tokens, breaker, meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean
    DeviceWebFilter deviceWebFilter(PostureClient postureClient, DeviceProperties device,
                                    TrustedProxies trustedProxies,
                                    @Value("${gatehouse.device-ca:}") String deviceCa) {
        return new DeviceWebFilter(postureClient, ClientCertificates.fromDeviceCa(deviceCa), trustedProxies,
                device.forwardedCertificateHeader());
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
