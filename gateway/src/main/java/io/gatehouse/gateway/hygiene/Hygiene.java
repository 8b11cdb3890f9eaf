package io.gatehouse.gateway.hygiene;

import io.gatehouse.gateway.exchange.RequestFacts;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The HYGIENE stage as a function over {@link RequestFacts} (docs/design-next.md §1), for requests that are not on
 * the public listener: the decision service judges the request a proxy describes with the same path and query rules
 * ({@link PathCanonicaliser}) as {@link HygieneStep}, plus the header rules that make sense for a described
 * request ({@link HeaderRules#checkDescribed}). {@code /a/%2e%2e/admin} is refused here exactly as on the public
 * listener. Pure and thread-safe.
 */
public final class Hygiene {

    /** The judgement: a rejection, or the canonical path the policy must match. Exactly one is non-null. */
    public record Judged(@Nullable Rejection rejection, @Nullable String canonicalPath) {
        public Judged {
            if ((rejection == null) == (canonicalPath == null)) {
                throw new IllegalArgumentException("exactly one of rejection and canonicalPath");
            }
        }

        public Optional<Rejection> rejected() {
            return Optional.ofNullable(rejection);
        }
    }

    private Hygiene() {
    }

    /** Judges the described request: headers first, then the path, then the query. */
    public static Judged judge(RequestFacts facts) {
        Objects.requireNonNull(facts, "facts");
        Optional<Rejection> found = HeaderRules.checkDescribed(facts.headers(), facts.host());
        if (found.isPresent()) {
            return new Judged(found.get(), null);
        }
        return judgeTarget(facts.rawPath(), facts.rawQuery());
    }

    /** The path and query rules alone: what both the public listener and the decision service apply. */
    public static Judged judgeTarget(String rawPath, @Nullable String rawQuery) {
        PathVerdict verdict = PathCanonicaliser.canonicalise(rawPath);
        if (verdict instanceof PathVerdict.Rejected rejected) {
            return new Judged(rejected.rejection(), null);
        }
        if (rawQuery != null) {
            Optional<Rejection> query = PathCanonicaliser.checkQuery(rawQuery);
            if (query.isPresent()) {
                return new Judged(query.get(), null);
            }
        }
        return new Judged(null, ((PathVerdict.Accepted) verdict).path());
    }
}
