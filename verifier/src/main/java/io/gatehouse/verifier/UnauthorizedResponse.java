package io.gatehouse.verifier;

import java.util.Objects;

/**
 * The one wording of a 401 for a missing or rejected assertion, shared by every adapter so a
 * person reading the answer (or the logs) sees the same thing whatever the backend's stack is.
 * The body is plain text; the {@code WWW-Authenticate} value carries the stable reason code.
 */
public final class UnauthorizedResponse {
    public static final int STATUS = 401;
    public static final String CONTENT_TYPE = "text/plain;charset=UTF-8";

    private final RejectionReason reason;
    private final String message;

    private UnauthorizedResponse(RejectionReason reason, String message) {
        this.reason = reason;
        this.message = message;
    }

    public static UnauthorizedResponse of(AssertionRejectedException rejection) {
        Objects.requireNonNull(rejection, "rejection");
        return new UnauthorizedResponse(rejection.reason(), rejection.getMessage());
    }

    public static UnauthorizedResponse missing() {
        return new UnauthorizedResponse(RejectionReason.MISSING,
                RejectionReason.MISSING.code() + ": no " + GatehouseVerifier.HEADER + " header");
    }

    /** A valid but anonymous assertion reached a page that needs a signed-in user. */
    public static UnauthorizedResponse anonymous() {
        return new UnauthorizedResponse(RejectionReason.ANONYMOUS,
                RejectionReason.ANONYMOUS.code() + ": the gateway let this request through a public route without a login");
    }

    public RejectionReason reason() {
        return reason;
    }

    /** E.g. {@code GatehouseAssertion error="expired"}. */
    public String wwwAuthenticate() {
        return "GatehouseAssertion error=\"" + reason.code() + "\"";
    }

    /** Two lines: what was wrong, and what the caller should do about it. */
    public String body() {
        if (reason == RejectionReason.ANONYMOUS) {
            return "401 Unauthorized: nobody is signed in (" + message + ").\n"
                    + "This page needs a signed-in user: its Gatehouse route must require a login.\n";
        }
        return "401 Unauthorized: the " + GatehouseVerifier.HEADER + " was rejected (" + message + ").\n"
                + "This app trusts only requests that come through the Gatehouse gateway.\n";
    }
}
