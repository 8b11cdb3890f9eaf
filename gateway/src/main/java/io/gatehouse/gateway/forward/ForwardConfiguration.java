package io.gatehouse.gateway.forward;

import io.gatehouse.gateway.device.DeviceProperties;
import io.gatehouse.gateway.management.PublicListener;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Stage 6, FORWARD, wired into Spring Cloud Gateway with ONE catch-all route. Its placeholder URI is never used:
 * {@link UpstreamUrlFilter} replaces it per request with the upstream of the route DECIDE chose, from the same
 * config snapshot. So a reload of gatehouse.yaml needs no route refresh and cannot race with one, and a request
 * is always forwarded where the policy that decided it said.
 */
@Configuration(proxyBeanMethods = false)
class ForwardConfiguration {

    static final String ROUTE_ID = "gatehouse";

    /**
     * Matches every request of the public listener. Not the management port's: Boot's management context reuses the
     * parent's handler mappings, and nothing arriving there may be forwarded.
     */
    @Bean
    RouteLocator gatehouseRoute(RouteLocatorBuilder routes, PublicListener publicListener) {
        return routes.routes()
                .route(ROUTE_ID, r -> r.predicate(publicListener::serves).uri("http://upstream.invalid"))
                .build();
    }

    /** Static: a post-processor must exist before the beans it processes (SCG's HttpClientProperties). */
    @Bean
    static UpstreamPool upstreamPool() {
        return new UpstreamPool();
    }

    @Bean
    UpstreamUrlFilter upstreamUrlFilter() {
        return new UpstreamUrlFilter();
    }

    @Bean
    ForwardedHeaders forwardedHeaders(DeviceProperties device) {
        return new ForwardedHeaders(device.forwardedCertificateHeader());
    }
}
