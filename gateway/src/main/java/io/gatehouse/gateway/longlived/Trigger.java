package io.gatehouse.gateway.longlived;

import java.util.Locale;

/** Why a connection is re-decided now; its wire name is the log's {@code connection.trigger} and a metric tag. */
enum Trigger {
    INTERVAL, RELOAD, POSTURE, LOGOUT, BACKCHANNEL_LOGOUT, BEARER_EXPIRED, SESSION_EXPIRED, RETRY, SWEEP;

    String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
