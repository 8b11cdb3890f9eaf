package io.gatehouse.verifier;

import java.util.Objects;

/**
 * The one exception {@link GatehouseVerifier#verify} throws: the assertion must not be trusted.
 * {@link #reason()} says which check failed; the message says what was found and what was
 * expected, e.g. {@code wrong-audience: aud is "hr", expected "payroll"}. Values taken from the
 * token are shortened, so a message is safe to log and to return in a 401 body.
 */
public final class AssertionRejectedException extends Exception {
    private static final long serialVersionUID = 1L;
    private static final int MAX_QUOTED = 80;

    private final RejectionReason reason;

    public AssertionRejectedException(RejectionReason reason, String detail) {
        super(Objects.requireNonNull(reason, "reason").code() + ": " + Objects.requireNonNull(detail, "detail"));
        this.reason = reason;
    }

    public AssertionRejectedException(RejectionReason reason, String detail, Throwable cause) {
        this(reason, detail);
        initCause(cause);
    }

    /** Which check failed. */
    public RejectionReason reason() {
        return reason;
    }

    /** Quotes a value that came from the token, shortened so an attacker cannot fill the logs. */
    static String quote(Object value) {
        String s = String.valueOf(value);
        if (s.length() > MAX_QUOTED) {
            s = s.substring(0, MAX_QUOTED) + "...";
        }
        return '"' + s + '"';
    }
}
