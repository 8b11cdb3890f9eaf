package io.gatehouse.gateway.decisionservice;

import java.util.Objects;

/**
 * A proxy the decision service trusts to describe requests (docs/design-next.md §2.2), as {@link CallerTrust}
 * identified it before anything it sent was read.
 *
 * @param name the SAN of its client certificate ({@link How#CERTIFICATE}), else its IP address
 * @param how  how it was identified
 */
public record Caller(String name, How how) {

    /** How a caller was identified. */
    public enum How {
        /** A client certificate chaining to {@code gatehouse.authz.client-ca} with a configured SAN. */
        CERTIFICATE,
        /** Its TCP source address in a configured CIDR. */
        ADDRESS
    }

    public Caller {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(how, "how");
    }
}
