package io.gatehouse.policy;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How a route's shadow policy disagrees with the policy in force on one request (docs/policy.md, "Shadow policy"):
 * {@link #WOULD_ALLOW} when the policy in force denied and the shadow would allow, {@link #WOULD_DENY} when the policy
 * in force allowed and the shadow would deny. Outcomes are compared, not whether a deny was enforced: an audit-mode
 * route's deny is still a deny.
 */
public enum Disagreement {
    WOULD_ALLOW, WOULD_DENY;

    /** How {@code shadow} disagrees with {@code enforced}; null when there is no shadow or both have one outcome. */
    public static @Nullable Disagreement of(Decision enforced, @Nullable Decision shadow) {
        if (shadow == null || shadow.outcome() == enforced.outcome()) {
            return null;
        }
        return shadow.outcome() == Outcome.ALLOW ? WOULD_ALLOW : WOULD_DENY;
    }

    /** The spelling in the decision log and the metric's {@code direction} tag: {@code would-allow}, {@code would-deny}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
