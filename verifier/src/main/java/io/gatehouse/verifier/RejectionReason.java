package io.gatehouse.verifier;

/**
 * Why an assertion was rejected. Each reason has a stable {@link #code()} for metrics, logs and
 * tests; the human line with the details is the exception's message.
 */
public enum RejectionReason {
    /** No assertion header, or an empty one. */
    MISSING("missing"),
    /**
     * Not a verification failure: a valid assertion for an anonymous request (a {@code public: true} route, nobody
     * signed in) reached a page that needs a user. Used by the adapters' 401, never thrown by {@code verify}.
     */
    ANONYMOUS("anonymous"),
    /** The token is longer than the verifier's limit; it was not parsed. */
    TOO_LARGE("too-large"),
    /** Not a compact JWS, bad base64url, a header or payload that is not a JSON object, or a required claim missing or of the wrong type. */
    MALFORMED("malformed"),
    /** The header names an algorithm other than ES256 (for example {@code none}, HS256, RS256). */
    ALGORITHM_NOT_ALLOWED("algorithm-not-allowed"),
    /** The header carries its own key or a key location ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c}). */
    KEY_REFERENCE_NOT_ALLOWED("key-reference-not-allowed"),
    /** The header marks an extension as critical ({@code crit}); the verifier understands none. */
    CRITICAL_HEADER("critical-header"),
    /** The {@code kid} is not in the gateway's key set, even after a refresh. */
    UNKNOWN_KEY("unknown-key"),
    /** The gateway's key set could not be fetched and no earlier copy is cached. */
    KEYS_UNAVAILABLE("keys-unavailable"),
    /** The signature does not verify with the named key. */
    BAD_SIGNATURE("bad-signature"),
    /** {@code iss} is not the configured gateway issuer. */
    WRONG_ISSUER("wrong-issuer"),
    /** {@code aud} is not this backend's audience. */
    WRONG_AUDIENCE("wrong-audience"),
    /** {@code exp} is in the past, beyond the allowed clock skew. */
    EXPIRED("expired"),
    /** {@code iat} or {@code nbf} is in the future, beyond the allowed clock skew. */
    NOT_YET_VALID("not-yet-valid"),
    /** {@code exp - iat} is longer than the verifier accepts for a per-request assertion. */
    LIFETIME_TOO_LONG("lifetime-too-long"),
    /** {@code http.method} is not the method of the request it arrived with. */
    METHOD_MISMATCH("method-mismatch"),
    /** {@code http.host} is not the configured public host (or the request's Host). */
    HOST_MISMATCH("host-mismatch"),
    /** {@code http.path} is not the path of the request it arrived with. */
    PATH_MISMATCH("path-mismatch");

    private final String code;

    RejectionReason(String code) {
        this.code = code;
    }

    /** The stable, lower-case, hyphenated code, e.g. {@code wrong-audience}. */
    public String code() {
        return code;
    }
}
