/**
 * The append-only history of every device change: who (the token's subject), what changed (field by field, from
 * and to), when, why (for quarantine and release) and the version it produced. Written in the same transaction
 * as the change it records, read by {@code GET /v1/devices/{id}/history}. Never updates or deletes an entry; the
 * database refuses that too.
 */
@NullMarked
package io.gatehouse.deviceinventory.audit;

import org.jspecify.annotations.NullMarked;
