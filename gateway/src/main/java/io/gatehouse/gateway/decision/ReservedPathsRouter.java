package io.gatehouse.gateway.decision;

import io.gatehouse.gateway.RequestContext;
import io.gatehouse.gateway.problem.Problems;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The catch-all for reserved paths that no gateway endpoint serves: 404 problem+json, never forwarded. Router
 * functions are consulted before Spring Cloud Gateway's route mapping, and this one is ordered last among them, so a
 * specific endpoint (the JWKS, later the login callback) wins over it.
 */
@Configuration(proxyBeanMethods = false)
class ReservedPathsRouter {

    @Bean
    @Order(org.springframework.core.Ordered.LOWEST_PRECEDENCE)
    RouterFunction<ServerResponse> reservedPathsNotFound() {
        return RouterFunctions.route(
                RequestPredicates.path("/.gatehouse").or(RequestPredicates.path("/.gatehouse/**"))
                        .or(RequestPredicates.path("/.well-known/gatehouse")).or(RequestPredicates.path("/.well-known/gatehouse/**")),
                request -> {
                    RequestContext context = RequestContext.find(request.exchange());
                    String id = context != null ? context.requestId() : request.exchange().getRequest().getId();
                    byte[] body = Problems.json(new Problems.Problem(HttpStatus.NOT_FOUND, "reserved-path", "Not found",
                            "This path is reserved for the gateway and serves nothing.", List.of(), id, null));
                    return ServerResponse.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                            .header("Cache-Control", "no-store").bodyValue(body);
                });
    }
}
