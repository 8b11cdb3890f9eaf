package io.gatehouse.policy.model;

import java.util.List;

/**
 * A route's {@code policy:}: its {@code allow} and {@code deny} rules in file order. A matching deny rule wins,
 * then a matching allow rule allows, otherwise deny. {@link #NONE} (no {@code policy:} key, or one with no
 * rules) denies everything.
 */
public record Policy(List<Rule> allow, List<Rule> deny) {
    public static final Policy NONE = new Policy(List.of(), List.of());

    public Policy {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
    }

    public boolean isEmpty() {
        return allow.isEmpty() && deny.isEmpty();
    }
}
