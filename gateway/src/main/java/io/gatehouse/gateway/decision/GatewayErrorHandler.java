package io.gatehouse.gateway.decision;

import io.gatehouse.gateway.RequestContext;
import io.gatehouse.gateway.problem.Problems;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import io.gatehouse.gateway.problem.OutageWarnings;
import io.micrometer.core.instrument.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquirePendingLimitException;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquireTimeoutException;

/**
 * The one place where an exception becomes a response (STYLE.md, "Errors"), always with the request id:
 * <ul>
 *   <li>the upstream did not answer in time (the response timeout of {@code forward.UpstreamTimeout}, the connect
 *       timeout) → 504;</li>
 *   <li>the upstream refused, reset or closed the connection, its name does not resolve, or its TLS handshake
 *       failed (an untrusted certificate) → 502;</li>
 *   <li>every pooled connection to the upstream stayed busy for the pool's acquire timeout
 *       ({@code forward.UpstreamPool}) → 503 with {@code Retry-After: 1}: the upstream was not contacted;</li>
 *   <li>a {@link ResponseStatusException} → its status (Spring Cloud Gateway raises 504 this way);</li>
 *   <li>anything else is a bug or failed I/O on our side → 500, logged with its stack trace.</li>
 * </ul>
 * Runs before Boot's default error handler ({@code @Order(-2)}). A response already committed cannot be changed:
 * the error is passed on and the connection is closed.
 */
@Component
@Order(-2)
public final class GatewayErrorHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayErrorHandler.class);
    private static final String RETRY_AFTER_SECONDS = "1";
    /** An upstream outage answers every request 502/504: a few WARN lines a minute, the rest counted. */
    private static final OutageWarnings WARNINGS = new OutageWarnings(OutageWarnings.DEFAULT_PER_WINDOW,
            OutageWarnings.DEFAULT_WINDOW, System::nanoTime, log::warn, Metrics.globalRegistry);

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(error);
        }
        String requestId = requestId(exchange);
        HttpStatusCode status = statusOf(error);
        if (status.value() == 500) {
            log.error("request {} failed: {} {}", requestId, exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath().value(), error);
        }
        HttpStatus known = HttpStatus.resolve(status.value());
        HttpStatus answer = known == null ? HttpStatus.INTERNAL_SERVER_ERROR : known;
        if (status.value() != 500) {
            WARNINGS.warn(type(answer), "request " + requestId + ": " + status.value() + " (" + error + ")");
        }
        exchange.getResponse().getHeaders().clear();
        if (answer == HttpStatus.SERVICE_UNAVAILABLE) {
            exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        return Problems.write(exchange, new Problems.Problem(answer, type(answer), answer.getReasonPhrase(),
                detail(answer), List.of(), requestId, routeId(exchange)));
    }

    static HttpStatusCode statusOf(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            // Before TimeoutException, which the pool's acquire timeout extends: no free connection is not a slow upstream.
            if (t instanceof PoolAcquireTimeoutException || t instanceof PoolAcquirePendingLimitException) {
                return HttpStatus.SERVICE_UNAVAILABLE;
            }
            if (t instanceof TimeoutException || t instanceof ConnectTimeoutException
                    || t instanceof ReadTimeoutException || t instanceof SslHandshakeTimeoutException) {
                return HttpStatus.GATEWAY_TIMEOUT;
            }
            if (t instanceof ConnectException || t instanceof PrematureCloseException
                    || t instanceof UnknownHostException || t instanceof SSLException) {
                return HttpStatus.BAD_GATEWAY;
            }
            if (t instanceof ResponseStatusException rse) {
                return rse.getStatusCode();
            }
        }
        return HttpStatus.INTERNAL_SERVER_ERROR;
    }

    private static String type(HttpStatus status) {
        return switch (status) {
            case BAD_GATEWAY -> "upstream-unavailable";
            case GATEWAY_TIMEOUT -> "upstream-timeout";
            case SERVICE_UNAVAILABLE -> "upstream-busy";
            case INTERNAL_SERVER_ERROR -> "internal-error";
            default -> "http-" + status.value();
        };
    }

    private static String detail(HttpStatus status) {
        return switch (status) {
            case BAD_GATEWAY -> "The application behind the gateway could not be reached.";
            case GATEWAY_TIMEOUT -> "The application behind the gateway did not answer in time.";
            case SERVICE_UNAVAILABLE -> "Every connection to the application behind the gateway is busy; try again shortly.";
            case INTERNAL_SERVER_ERROR -> "The gateway failed to handle this request; it was not forwarded.";
            default -> status.getReasonPhrase();
        };
    }

    private static String requestId(ServerWebExchange exchange) {
        RequestContext context = RequestContext.find(exchange);
        return context != null ? context.requestId() : exchange.getRequest().getId();
    }

    private static @org.jspecify.annotations.Nullable String routeId(ServerWebExchange exchange) {
        RequestContext context = RequestContext.find(exchange);
        return context != null ? context.routeId() : null;
    }
}
