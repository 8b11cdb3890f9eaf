package io.gatehouse.gateway.decision;

import io.gatehouse.gateway.problem.Problems.Problem;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the gateway answers a request, before any transport renders it (docs/design-next.md §1, §2.4): the public
 * listener writes it on the exchange; the decision service turns it into a dialect's answer (nginx, forward-auth,
 * Envoy). Every refusal carries its {@link Problem} (status, code, reasons the caller may read, request id) and
 * the headers the answer must carry ({@code WWW-Authenticate}, {@code Retry-After}), null when none.
 */
public sealed interface Verdict {

    /** The HTTP status this verdict asks for (200 for allow, 302 for a login redirect). */
    int status();

    /** Let through (allowed, or denied by a route in audit mode): the request gets an assertion. */
    record Allow() implements Verdict {
        @Override
        public int status() {
            return 200;
        }
    }

    /** A browser navigation that must sign in first ({@code stepUp}: sign in again, the login is too old). */
    record Login(boolean stepUp) implements Verdict {
        @Override
        public int status() {
            return 302;
        }
    }

    /**
     * A refusal: 400 (hygiene), 401 (no or bad credential, step-up for an API call), 403 (policy deny), 404 (no
     * route), 503 (Gatehouse cannot decide now: issuer, session store or IdP down).
     *
     * @param kind            which refusal it is, for metrics and dialect mappings
     * @param problem         the answer's body and status
     * @param wwwAuthenticate the {@code WWW-Authenticate} value for a 401, else null
     * @param retryAfter      the {@code Retry-After} seconds for a 503, else null
     */
    record Refused(Kind kind, Problem problem, @Nullable String wwwAuthenticate, @Nullable String retryAfter)
            implements Verdict {
        public Refused {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(problem, "problem");
        }

        @Override
        public int status() {
            return problem.status().value();
        }
    }

    /** The kinds of {@link Refused}; the wire names are the {@code outcome} of the authz metrics. */
    enum Kind {
        /** HYGIENE turned the request away (400). */
        REJECTED("rejected"),
        /** Anonymous and no allow rule matched, or a bad bearer token (401). */
        UNAUTHENTICATED("unauthenticated"),
        /** A rule needs a more recent login and this is not a browser navigation (401). */
        STEP_UP("step-up"),
        /** The policy denied (403). */
        DENIED("denied"),
        /** No route serves the host and path (404). */
        NO_ROUTE("no-route"),
        /** Gatehouse cannot decide now (503). */
        UNAVAILABLE("unavailable");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }
}
