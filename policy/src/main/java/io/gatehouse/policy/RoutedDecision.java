package io.gatehouse.policy;

import io.gatehouse.policy.model.Route;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Decision} together with the {@link Route} it was made for, from the same config, so that a caller that
 * needs the route (the gateway forwards along it) does not look it up a second time. {@code route} is null exactly
 * when no route served the request ({@code decision.route()} is null then too).
 */
public record RoutedDecision(Decision decision, @Nullable Route route) {

    public RoutedDecision {
        Objects.requireNonNull(decision, "decision");
        if (route != null && !route.id().equals(decision.route())) {
            throw new IllegalArgumentException("route " + route.id() + " is not the decision's route "
                    + decision.route());
        }
    }
}
