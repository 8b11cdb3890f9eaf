package io.gatehouse.policy.criteria;

import io.gatehouse.policy.Identity;
import io.gatehouse.policy.Request;
import io.gatehouse.policy.parse.Durations;
import io.gatehouse.policy.parse.ParseContext;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Key {@code max_auth_age: 15m}: the login happened at most this long before the request's time (step-up).
 * Its failure code {@code auth-too-old} tells the gateway to send a browser back to the IdP with {@code max_age}
 * instead of showing a bare deny. An identity without {@code auth_time} fails: its age cannot be shown.
 */
public final class MaxAuthAgeCriterion extends IdentityCriterion {
    /** The reason code the gateway looks for to start a step-up login. */
    public static final String TOO_OLD = "auth-too-old";

    private final Duration max;
    private final String maxText;
    private final String rule;

    private MaxAuthAgeCriterion(Duration max, String maxText, String rule) {
        super(rule, "a login at most " + maxText + " old");
        this.max = max;
        this.maxText = maxText;
        this.rule = rule;
    }

    public static @Nullable Criterion parse(Node node, ParseContext c) {
        Duration d = Durations.parse(node, c);
        return d == null ? null : new MaxAuthAgeCriterion(d, ((ScalarNode) node).getValue(), c.rule());
    }

    /** The configured maximum, for the gateway's {@code max_age} parameter. */
    public Duration max() {
        return max;
    }

    @Override
    boolean holds(Identity identity, Request request) {
        Instant at = identity.authTime();
        return at != null && Durations.within(at, request.time(), max);
    }

    @Override
    Match evaluate(Identity identity, Request request) {
        Instant at = identity.authTime();
        if (at == null) {
            return Match.fails(TOO_OLD, "login time is unknown, rule " + rule + " needs a login at most " + maxText
                    + " old");
        }
        Duration age = Duration.between(at, request.time());
        String ageText = Durations.human(age);
        return age.compareTo(max) <= 0
                ? Match.holds("auth-age", "login is " + ageText + " old, at most " + maxText)
                : Match.fails(TOO_OLD, "login is " + ageText + " old, rule " + rule + " needs at most " + maxText);
    }

    @Override
    public String describe() {
        return "the user signed in at most " + maxText + " ago";
    }
}
