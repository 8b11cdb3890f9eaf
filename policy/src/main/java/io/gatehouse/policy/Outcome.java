package io.gatehouse.policy;

/** What a decision says: let the request through or not. */
public enum Outcome {
    ALLOW, DENY;

    /** The lower-case spelling used in JSON, logs and YAML ({@code allow}, {@code deny}). */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
