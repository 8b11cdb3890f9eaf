package io.gatehouse.gateway.hygiene;

import java.util.Objects;

/** What {@link PathCanonicaliser} made of a raw path: accepted with its canonical form, or rejected with why. */
public sealed interface PathVerdict {

    /** The path is unambiguous; {@code path} is its canonical (once percent-decoded) form. */
    record Accepted(String path) implements PathVerdict {
        public Accepted {
            Objects.requireNonNull(path, "path");
        }
    }

    /** The path is ambiguous or malformed; the request gets 400. */
    record Rejected(Rejection rejection) implements PathVerdict {
        public Rejected {
            Objects.requireNonNull(rejection, "rejection");
        }
    }
}
