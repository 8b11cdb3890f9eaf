package io.gatehouse.policy;

import io.gatehouse.policy.model.Route;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Decision} together with the {@link Route} it was made for, from the same config, so that a caller that
 * needs the route (the gateway forwards along it) does not look it up a second time. {@code route} is null exactly
 * when no route served the request ({@code decision.route()} is null then too). {@code shadow} is what the route's
 * shadow policy would have decided (docs/policy.md, "Shadow policy"), from the same lookup; null when the route has no
 * shadow or no route served the request. Only {@code decision} acts.
 */
public record RoutedDecision(Decision decision, @Nullable Route route, @Nullable Decision shadow) {

    public RoutedDecision {
        Objects.requireNonNull(decision, "decision");
        if (route != null && !route.id().equals(decision.route())) {
            throw new IllegalArgumentException("route " + route.id() + " is not the decision's route "
                    + decision.route());
        }
        if (shadow != null && (route == null || route.shadow() == null || !route.id().equals(shadow.route()))) {
            throw new IllegalArgumentException("a shadow decision needs its route's shadow policy");
        }
    }

    /** A decision without a shadow. */
    public RoutedDecision(Decision decision, @Nullable Route route) {
        this(decision, route, null);
    }

    /** How the shadow disagrees with the decision in force; null without a shadow or when both have one outcome. */
    public @Nullable Disagreement disagreement() {
        return Disagreement.of(decision, shadow);
    }
}
