package io.gatehouse.policy;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The policy's answer for one request (docs/design.md, "Configuration"). {@code route} is null when no route
 * matched (then the outcome is deny); {@code rule} names the deny rule that won or the allow rule that
 * allowed, and is null for "no allow rule matched". {@code enforced} is false only in audit mode when the
 * outcome was deny: the request goes through anyway and the log says so. {@code reasons} say what held
 * or failed, in evaluation order. {@code remedies} are the {@code remedy:} texts of the rules that refused: the
 * deny rule that won, or, when no allow rule matched, each allow rule's (each text once, in file order); empty for
 * an allow and for rules without one (docs/policy.md, "Remedy").
 */
public record Decision(
        Outcome outcome,
        @Nullable String route,
        @Nullable String rule,
        Mode mode,
        boolean enforced,
        List<Reason> reasons,
        List<String> remedies) {

    public Decision {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(mode, "mode");
        reasons = List.copyOf(reasons);
        remedies = List.copyOf(remedies);
    }

    /** A decision without remedies. */
    public Decision(Outcome outcome, @Nullable String route, @Nullable String rule, Mode mode, boolean enforced,
                    List<Reason> reasons) {
        this(outcome, route, rule, mode, enforced, reasons, List.of());
    }

    /** True when the request may reach the upstream: allowed, or denied in audit mode. */
    public boolean letThrough() {
        return outcome == Outcome.ALLOW || !enforced;
    }
}
