package io.gatehouse.policy;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which token claims ({@link Identity#claims()}) a config can read: the names its {@code claims:} criteria and
 * {@code cel:} expressions name, or {@link #all()} when a CEL expression reads {@code identity.claims} in a way whose
 * names cannot be known before a request (as a whole, in a loop, by a computed key). The decision log captures these
 * claims so that a replay can rebuild the request (docs/operations.md, "Decision facts (for replay)"), and a replay refuses a
 * line that did not capture a claim the candidate config reads. {@code names} is sorted and empty when {@code all}.
 */
public record ClaimsRead(boolean all, List<String> names) {

    public static final ClaimsRead NONE = new ClaimsRead(false, List.of());
    public static final ClaimsRead ALL = new ClaimsRead(true, List.of());

    public ClaimsRead {
        Objects.requireNonNull(names, "names");
        names = all ? List.of() : List.copyOf(new TreeSet<>(names));
    }

    public static ClaimsRead of(Collection<String> names) {
        return names.isEmpty() ? NONE : new ClaimsRead(false, List.copyOf(names));
    }

    /** Whether a claim of this name is read. */
    public boolean reads(String name) {
        return all || names.contains(name);
    }

    /** What this and {@code other} read together. */
    public ClaimsRead plus(ClaimsRead other) {
        if (all || other.all) {
            return ALL;
        }
        if (other.names.isEmpty()) {
            return this;
        }
        Set<String> both = new TreeSet<>(names);
        both.addAll(other.names);
        return new ClaimsRead(false, List.copyOf(both));
    }
}
