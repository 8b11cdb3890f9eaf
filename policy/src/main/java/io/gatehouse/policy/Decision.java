package io.gatehouse.policy;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The policy's answer for one request (docs/design.md, "Configuration"). {@code route} is null when no route
 * matched (then the outcome is deny); {@code rule} names the deny rule that won or the allow rule that
 * allowed, and is null for "no allow rule matched". {@code enforced} is false only in audit mode when the
 * outcome was deny: the request goes through anyway and the log says so. {@code reasons} say what held
 * or failed, in evaluation order.
 */
public record Decision(
        Outcome outcome,
        @Nullable String route,
        @Nullable String rule,
        Mode mode,
        boolean enforced,
        List<Reason> reasons) {

    public Decision {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(mode, "mode");
        reasons = List.copyOf(reasons);
    }

    /** True when the request may reach the upstream: allowed, or denied in audit mode. */
    public boolean letThrough() {
        return outcome == Outcome.ALLOW || !enforced;
    }
}
