/**
 * The trust rules: from a device's facts (managed, quarantined, latest report, OS version) and the time now,
 * compute {@code high}, {@code basic} or {@code untrusted}, with thresholds from {@code inventory.trust.*}.
 * Reads no database and no clock of its own: the caller passes the instant, so trust ages correctly at read time.
 * Must never treat a missing fact as a good one (no report means no trust above untrusted).
 */
@NullMarked
package io.gatehouse.deviceinventory.trust;

import org.jspecify.annotations.NullMarked;
