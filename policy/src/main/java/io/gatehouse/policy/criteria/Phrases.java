package io.gatehouse.policy.criteria;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** How criteria write their values in a description ({@link Criterion#describe()}): plain lists, "and" joins. */
final class Phrases {
    private Phrases() {
    }

    /** {@code a, b, c}, each value as written. */
    static String list(Collection<?> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** {@code macos 14.2, windows 10.0}: each key with its value. */
    static String pairs(Map<String, String> values) {
        return values.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    /** The parts joined by "and"; "always" for none. */
    static String all(List<String> parts) {
        return parts.isEmpty() ? "always" : String.join(" and ", parts);
    }
}
