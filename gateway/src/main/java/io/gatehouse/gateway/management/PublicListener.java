package io.gatehouse.gateway.management;

import java.util.Objects;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Tells requests on the public listener from requests on the management port. Spring Boot's management child
 * context builds its HTTP handler from every {@code WebFilter} bean, the parent's included, so our stages also see
 * {@code /actuator/health}. DECIDE must not judge those by gatehouse.yaml (it would answer "no route", 404) and RECORD
 * must not log them. The exchange's application context says where it came in: the management child context is a
 * different one.
 */
@Component
public final class PublicListener {

    private final ApplicationContext context;

    public PublicListener(ApplicationContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    /** True unless the exchange belongs to another (the management) context. */
    public boolean serves(ServerWebExchange exchange) {
        ApplicationContext owner = exchange.getApplicationContext();
        return owner == null || owner == context;
    }
}
