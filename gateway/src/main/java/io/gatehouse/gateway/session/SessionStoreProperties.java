package io.gatehouse.gateway.session;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code gatehouse.sessions.*}: the bounds of the browser-session state (issue 16, item 1). {@code max-sessions}
 * (default 100 000) signed-in sessions and {@code max-pre-login-sessions} (default 10 000) logins in progress are
 * held in memory at most, each store evicting when full (counted in {@code gatehouse_sessions_evicted_total}); an
 * anonymous flood fills only the pre-login store, never evicting a signed-in user. One pre-login session keeps at
 * most {@code max-login-attempts} (default 3) logins in progress, the oldest going first, in memory and in Redis
 * alike. {@code max-index-entries} (default 100 000) bounds the in-memory back-channel index and its single-use
 * claims. Sizes in Redis are bounded by time (every key has a TTL), not by these counts.
 */
@ConfigurationProperties("gatehouse.sessions")
public record SessionStoreProperties(@Nullable Integer maxSessions, @Nullable Integer maxPreLoginSessions,
                                     @Nullable Integer maxLoginAttempts, @Nullable Integer maxIndexEntries) {

    public static final int DEFAULT_MAX_LOGIN_ATTEMPTS = 3;

    public SessionStoreProperties {
        maxSessions = positive("max-sessions", maxSessions, 100_000);
        maxPreLoginSessions = positive("max-pre-login-sessions", maxPreLoginSessions, 10_000);
        maxLoginAttempts = positive("max-login-attempts", maxLoginAttempts, DEFAULT_MAX_LOGIN_ATTEMPTS);
        maxIndexEntries = positive("max-index-entries", maxIndexEntries, 100_000);
    }

    private static int positive(String name, @Nullable Integer value, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (value < 1) {
            throw new IllegalArgumentException("gatehouse.sessions." + name + " must be at least 1, found " + value);
        }
        return value;
    }
}
