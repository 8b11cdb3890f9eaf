package io.gatehouse.gateway;

import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.Fuseable;
import reactor.core.publisher.Mono;

/**
 * One stage of the request path as a plain step over the typed {@link RequestContext} (issue 17, "The shape is also
 * the cost"). RECORD, the one {@code WebFilter} of the request path, calls the steps in {@link RequestStage} order as
 * method calls: a step either answers the request itself (its {@code Mono} is the response) or hands the exchange —
 * the same one, or one it mutated — to {@code next}, directly when it has what it needs, or once a {@code Mono} it
 * really waited for (an issuer's JWKS, the inventory, the session store) completes.
 */
@FunctionalInterface
public interface RequestStep {

    /** Runs this stage on {@code exchange}; either answers or returns {@code next.proceed(exchange')}. */
    Mono<Void> apply(ServerWebExchange exchange, RequestContext context, Next next);

    /** The rest of the request path: the later steps, then the routing. */
    @FunctionalInterface
    interface Next {
        Mono<Void> proceed(ServerWebExchange exchange);
    }

    /**
     * Whether {@code mono} already holds its outcome (a value, nothing, or an error: {@code Mono.just},
     * {@code Mono.empty}, {@code Mono.error}), so that a step can go on without subscribing to it.
     */
    static boolean ready(Mono<?> mono) {
        return mono instanceof Fuseable.ScalarCallable<?>;
    }

    /**
     * The outcome of a {@link #ready} {@code mono}: its value, null for empty, or its error thrown (a
     * {@code RuntimeException} as itself, anything else wrapped by Reactor's {@code Exceptions.propagate}).
     */
    @SuppressWarnings("unchecked")
    static <T> @Nullable T now(Mono<T> mono) {
        try {
            return ((Callable<T>) mono).call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw reactor.core.Exceptions.propagate(e);
        }
    }
}
