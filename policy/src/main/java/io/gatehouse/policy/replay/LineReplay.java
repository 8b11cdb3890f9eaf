package io.gatehouse.policy.replay;

import io.gatehouse.policy.CompiledConfig;
import io.gatehouse.policy.Decision;
import io.gatehouse.policy.Outcome;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Decides one decision-log line again with a candidate config, at the line's own decision time, and says how the
 * answer changed ({@link Kind}). A line the policy never decided (turned away before DECIDE: {@code why.mode} is
 * null), a line without {@code facts} (written before the gateway logged them) and a line whose facts lack what the
 * candidate reads ({@link FactsReader}) {@link Kind#CANNOT_REPLAY}, with a code and reason. A JSON object that is not a
 * decision-log line, or malformed facts, throw {@link IllegalArgumentException} naming the member.
 */
public final class LineReplay {

    /** How the candidate's answer compares with the logged one. */
    public enum Kind {
        SAME, ALLOW_TO_DENY, DENY_TO_ALLOW, RULE_CHANGED, CANNOT_REPLAY;

        /** The spelling in the report: {@code same}, {@code allow_to_deny}, ... */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public boolean flip() {
            return this == ALLOW_TO_DENY || this == DENY_TO_ALLOW;
        }
    }

    /** The decision as the line logged it ({@code why} and {@code what.route}). */
    public record Logged(String decision, @Nullable String route, @Nullable String rule, List<String> reasons) {
    }

    /** One line's result; {@code after} is null and {@code code}/{@code reason} set exactly when it cannot replay. */
    public record Result(Kind kind, Logged before, @Nullable Decision after, @Nullable String code,
                         @Nullable String reason) {
    }

    private final CompiledConfig candidate;

    public LineReplay(CompiledConfig candidate) {
        this.candidate = Objects.requireNonNull(candidate, "candidate");
    }

    public Result replay(Map<String, Object> line) {
        Map<String, Object> why = member(line, "why");
        Map<String, Object> what = member(line, "what");
        Object decision = why.get("decision");
        if (!"allow".equals(decision) && !"deny".equals(decision)) {
            throw new IllegalArgumentException("why.decision: expected allow or deny, found " + decision);
        }
        Logged before = new Logged((String) decision, text(what.get("route")), text(why.get("rule")),
                why.get("reasons") instanceof List<?> r ? r.stream().map(String::valueOf).toList() : List.of());
        if (why.get("mode") == null) {
            return cannot(before, "not-decided", "the gateway turned the request away before the policy decided ("
                    + String.join("; ", before.reasons()) + ")");
        }
        Object facts = line.get("facts");
        if (facts == null) {
            return cannot(before, "no-facts", "the line has no facts: it was written before the decision log "
                    + "carried them");
        }
        FactsReader.Result read = FactsReader.read(facts, candidate.claimsRead());
        if (read instanceof FactsReader.Refused refused) {
            return cannot(before, refused.code(), refused.reason());
        }
        Decision after = candidate.decide(((FactsReader.Rebuilt) read).request());
        return new Result(kind(before, after), before, after, null, null);
    }

    private static Kind kind(Logged before, Decision after) {
        boolean allowedBefore = before.decision().equals("allow");
        boolean allowedAfter = after.outcome() == Outcome.ALLOW;
        if (allowedBefore != allowedAfter) {
            return allowedBefore ? Kind.ALLOW_TO_DENY : Kind.DENY_TO_ALLOW;
        }
        return Objects.equals(before.route(), after.route()) && Objects.equals(before.rule(), after.rule())
                ? Kind.SAME : Kind.RULE_CHANGED;
    }

    private static Result cannot(Logged before, String code, String reason) {
        return new Result(Kind.CANNOT_REPLAY, before, null, code, reason);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> member(Map<String, Object> line, String name) {
        if (!(line.get(name) instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("not a decision-log line: no \"" + name + "\" object");
        }
        return (Map<String, Object>) m;
    }

    private static @Nullable String text(@Nullable Object value) {
        return value == null ? null : String.valueOf(value);
    }
}
