/**
 * The gateway's hot path: {@code GET /v1/posture?cert_sha256=HEX} turns a client-certificate fingerprint into the
 * posture the policy reads, with exactly the field names of REQUEST.json's {@code device} object. One indexed
 * query per lookup, trust computed at read time, each lookup counted and timed. Never answers for a fingerprint
 * it does not hold: unknown is 404, and the gateway then treats the device as unknown.
 */
@NullMarked
package io.gatehouse.deviceinventory.posture;

import org.jspecify.annotations.NullMarked;
