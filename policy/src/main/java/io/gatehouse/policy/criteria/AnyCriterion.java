package io.gatehouse.policy.criteria;

import io.gatehouse.policy.ClaimsRead;
import io.gatehouse.policy.Reason;
import io.gatehouse.policy.Request;
import java.util.ArrayList;
import java.util.List;

/**
 * Key {@code any: [rules]}: at least one nested rule holds (OR). It answers with the first holding rule's
 * reasons, or, when none holds, with every nested rule's failing reasons in order.
 */
public final class AnyCriterion implements Criterion {
    private final Criterion[] parts;

    public AnyCriterion(List<Criterion> parts) {
        this.parts = parts.toArray(Criterion[]::new);
    }

    @Override
    public boolean test(Request request) {
        for (Criterion part : parts) {
            if (part.test(request)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Match evaluate(Request request) {
        List<Reason> failed = new ArrayList<>(parts.length);
        for (Criterion part : parts) {
            Match m = part.evaluate(request);
            if (m.holds()) {
                return m;
            }
            failed.addAll(m.reasons());
        }
        return new Match(false, failed);
    }

    @Override
    public String describe() {
        return "at least one of: " + String.join(" OR ", java.util.Arrays.stream(parts)
                .map(p -> "(" + p.describe() + ")").toList());
    }

    @Override
    public ClaimsRead claimsRead() {
        ClaimsRead read = ClaimsRead.NONE;
        for (Criterion part : parts) {
            read = read.plus(part.claimsRead());
        }
        return read;
    }
}
