package io.gatehouse.gateway.longlived;

import io.gatehouse.policy.Identity;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a long-lived connection was opened with, kept to re-decide it: a browser session (its id, in memory only and
 * never logged, to look the session up again; and the hash the log shows), a bearer token's verified identity and
 * expiry (not the token), or nothing.
 */
sealed interface Credential {

    /** A browser session; {@code id} is a credential and never leaves this process's memory. */
    record Session(String id, String idHash) implements Credential {
        public Session {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(idHash, "idHash");
        }

        @Override
        public String toString() {
            return "Session[" + idHash + "]"; // never the id
        }
    }

    /** A bearer token, verified at the upgrade: who it named and when it expires. */
    record Bearer(Identity identity, Instant expiresAt) implements Credential {
        public Bearer {
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    /** No credential: the route let an anonymous caller in. */
    record Anonymous() implements Credential {
    }

    /** The session id's hash, for session credentials. */
    default @Nullable String sessionIdHash() {
        return this instanceof Session s ? s.idHash() : null;
    }
}
