package io.gatehouse.policy;

/** How a route applies its decisions: {@code enforce} (default) or {@code audit} (decide and log, but let through). */
public enum Mode {
    ENFORCE, AUDIT;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
