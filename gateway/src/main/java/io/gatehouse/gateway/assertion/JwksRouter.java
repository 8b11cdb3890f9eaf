package io.gatehouse.gateway.assertion;

import io.gatehouse.gateway.exchange.ReservedPaths;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Serves the public assertion keys at {@code /.well-known/gatehouse/jwks.json} on every host (docs/design.md, "Reserved
 * paths"): every key not yet retired, including the next one before it signs. Cached for 5 minutes by clients; the
 * verifier also refetches on an unknown {@code kid}, so publish a new key at least that long before its
 * {@code not-before}. Read from the ring in force at each request, so a reloaded key set is served at once.
 */
@Configuration(proxyBeanMethods = false)
class JwksRouter {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    RouterFunction<ServerResponse> jwks(LiveSigningKeys keys, Clock clock) {
        return RouterFunctions.route(RequestPredicates.GET(ReservedPaths.JWKS), request -> ServerResponse.ok()
                .contentType(new MediaType("application", "jwk-set+json", StandardCharsets.UTF_8))
                .header("Cache-Control", "public, max-age=300")
                .bodyValue(keys.get().publishedAt(clock.instant()).toString(true)));
    }
}
