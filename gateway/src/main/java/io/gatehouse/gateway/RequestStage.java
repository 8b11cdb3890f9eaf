package io.gatehouse.gateway;

import org.springframework.core.Ordered;

/**
 * The order of the request path (docs/design.md, "The request path"), in one place. RECORD is the one
 * {@code WebFilter} of the path ({@code getOrder()} returns {@code RequestStage.RECORD.order()}); it comes first
 * because it wraps the whole chain: it must see every outcome, the final status and the latency. The later stages
 * are {@link RequestStep}s that RECORD calls in this order (issue 17). FORWARD is Spring Cloud Gateway's own
 * routing, which runs after every WebFilter.
 */
public enum RequestStage {
    RECORD,
    HYGIENE,
    AUTHENTICATE,
    DEVICE,
    DECIDE,
    ASSERT;

    /** Spaced so that a framework filter can be placed between two stages if ever needed; all run before Spring Security's default order. */
    public int order() {
        return Ordered.HIGHEST_PRECEDENCE + 1_000 * (ordinal() + 1);
    }
}
