package io.gatehouse.policy.criteria;

import io.gatehouse.policy.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A criterion's answer: whether it holds, and the reasons that say why (the first one is the criterion's
 * own sentence; a failing device criterion may append the caller's device notes). Immutable.
 */
public record Match(boolean holds, List<Reason> reasons) {

    public Match {
        reasons = List.copyOf(reasons);
    }

    public static Match holds(Reason reason) {
        return new Match(true, List.of(reason));
    }

    public static Match fails(Reason reason) {
        return new Match(false, List.of(reason));
    }

    /**
     * A holding match with a reason built by the caller (string concatenation is cheaper than formatting on the hot
     * path).
     */
    public static Match holds(String code, String text) {
        return holds(new Reason(code, text));
    }

    public static Match fails(String code, String text) {
        return fails(new Reason(code, text));
    }

    public static Match holds(String code, String format, Object... args) {
        return holds(new Reason(code, String.format(Locale.ROOT, format, args)));
    }

    public static Match fails(String code, String format, Object... args) {
        return fails(new Reason(code, String.format(Locale.ROOT, format, args)));
    }

    /** The same answer negated, keeping the reasons: what failed inside a {@code not} is why the {@code not} holds. */
    public Match negate() {
        return new Match(!holds, reasons);
    }

    /** A failing match with the given extra reasons after this one's (e.g. why the device counts unknown). */
    public Match withNotes(List<Reason> notes) {
        if (notes.isEmpty()) {
            return this;
        }
        List<Reason> all = new ArrayList<>(reasons);
        all.addAll(notes);
        return new Match(holds, all);
    }

    /** The first reason, the criterion's own sentence. */
    public Reason reason() {
        return reasons.get(0);
    }
}
