package io.gatehouse.deviceinventory.trust;

import java.time.Instant;
import java.util.Map;

/**
 * How many devices have each trust level at an instant, counted with {@link TrustSql}: what {@link TrustGauges}
 * publishes. The device store answers it; trust owns the question so that it needs none of the device code.
 */
public interface TrustCounts {

    /** Every level, with 0 for a level no device has. Throws Spring's {@code DataAccessException} when the store fails. */
    Map<TrustLevel, Long> countByTrust(TrustSql trustSql, Instant now);
}
