package io.gatehouse.gateway.hygiene;

/**
 * The one table of what the HYGIENE stage rejects (STYLE.md, "Hygiene as a table"). Each row has a stable
 * {@link #code()} (it becomes the rejection reason code {@code hygiene-<code>} and a metric tag) and a title that
 * the 400 message starts with. The detection lives in {@link PathCanonicaliser} (path and query rows) and
 * {@link HeaderRules} (header rows); {@code RejectedPatternTest} holds an example per row, in upper and lower case.
 */
public enum RejectedPattern {
    // --- path and query -------------------------------------------------------------------------------------------
    BAD_PERCENT_ENCODING("bad-percent-encoding", "bad percent-encoding ('%' not followed by two hex digits)"),
    ENCODED_PERCENT("encoded-percent", "encoded '%' (%25), i.e. double encoding"),
    ENCODED_SLASH("encoded-slash", "encoded '/' (%2F) in the path"),
    ENCODED_BACKSLASH("encoded-backslash", "encoded '\\' (%5C) in the path"),
    BACKSLASH("backslash", "'\\' in the path"),
    NUL("nul", "NUL character"),
    CONTROL_CHARACTER("control-character", "control character"),
    NON_ASCII("non-ascii", "raw non-ASCII character (it must be percent-encoded)"),
    PATH_PARAMETER("path-parameter", "';' in the path (path parameters are read differently by different servers)"),
    INVALID_UTF8("invalid-utf8", "percent-encoded bytes that are not valid UTF-8"),
    LOOKALIKE_SEPARATOR("lookalike-separator", "a Unicode look-alike of '/', '\\' or '.' in the path"),
    LOOKALIKE_ASCII("lookalike-ascii", "a Unicode look-alike of an ASCII character in the path (compatibility"
            + " normalisation (NFKC) or case mapping turns it into ASCII, as some upstreams do)"),
    INVISIBLE_CHARACTER("invisible-character", "an invisible Unicode character in the path (format character,"
            + " variation selector or filler, which some upstreams drop)"),
    TRAILING_DOT_OR_SPACE("trailing-dot-or-space", "a path segment ending in '.' or a space (Windows and IIS drop"
            + " them, so it would name the segment without them)"),
    DOT_SEGMENT("dot-segment", "'.' segment in the path"),
    DOT_DOT("dot-dot", "'..' in the path"),
    EMPTY_SEGMENT("empty-segment", "empty segment ('//') in the path"),
    FRAGMENT("fragment", "'#' in the request target (a fragment is never sent to a server)"),
    TARGET_MISMATCH("target-mismatch", "request target that the server parsed into a different path"),
    NOT_ORIGIN_PATH("not-origin-path", "path does not start with '/'"),
    // --- headers --------------------------------------------------------------------------------------------------
    DUPLICATE_HOST("duplicate-host", "more than one Host header"),
    MISSING_HOST("missing-host", "no Host header (HTTP/1.1 requires one, HTTP/2 :authority or Host)"),
    MALFORMED_HOST("malformed-host", "malformed Host header"),
    HOST_MISMATCH("host-mismatch", "Host header disagrees with the absolute-form request target"),
    CONTENT_LENGTH_AND_TRANSFER_ENCODING("content-length-and-transfer-encoding",
            "both Content-Length and Transfer-Encoding"),
    DUPLICATE_CONTENT_LENGTH("duplicate-content-length", "more than one Content-Length"),
    MALFORMED_CONTENT_LENGTH("malformed-content-length", "malformed Content-Length"),
    UNSUPPORTED_TRANSFER_ENCODING("unsupported-transfer-encoding", "Transfer-Encoding other than a single 'chunked'"),
    HEADER_CONTROL_CHARACTER("header-control-character", "control character in a header");

    private final String code;
    private final String title;

    RejectedPattern(String code, String title) {
        this.code = code;
        this.title = title;
    }

    /** Stable code for metrics, tests and the decision log, e.g. {@code encoded-slash}. */
    public String code() {
        return code;
    }

    /** What was wrong, in words, e.g. "encoded '/' (%2F) in the path". */
    public String title() {
        return title;
    }
}
