package io.gatehouse.policy.criteria;

import io.gatehouse.policy.ClaimsRead;
import io.gatehouse.policy.Reason;
import io.gatehouse.policy.Request;
import java.util.ArrayList;
import java.util.List;

/**
 * Every part holds (AND). It is what a rule's own keys form, and key {@code all: [rules]} nests one. It stops at
 * the first part that fails and answers with that part's reasons; when all hold, the reasons of every part.
 */
public final class AllCriterion implements Criterion {
    private final Criterion[] parts;

    public AllCriterion(List<Criterion> parts) {
        this.parts = parts.toArray(Criterion[]::new);
    }

    /** The parts, in the order written: a rule's own criteria for {@code gatehouse-policy explain}. */
    public List<Criterion> parts() {
        return List.of(parts);
    }

    @Override
    public boolean test(Request request) {
        for (Criterion part : parts) {
            if (!part.test(request)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Match evaluate(Request request) {
        if (parts.length == 1) {
            return parts[0].evaluate(request);
        }
        List<Reason> reasons = null;
        for (Criterion part : parts) {
            Match m = part.evaluate(request);
            if (!m.holds()) {
                return m;
            }
            if (reasons == null) {
                reasons = new ArrayList<>(parts.length);
            }
            reasons.addAll(m.reasons());
        }
        return new Match(true, reasons == null ? List.of() : reasons);
    }

    @Override
    public String describe() {
        return Phrases.all(java.util.Arrays.stream(parts).map(Criterion::describe).toList());
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
