/**
 * Stage 3 of the request path (docs/design.md, "Device identity and posture"): the verified client certificate's SHA-256
 * fingerprint becomes a {@link io.gatehouse.policy.DevicePosture} from device-inventory's {@code GET /v1/posture},
 * through a short cache, a timeout and a circuit breaker. It reads the TLS session's verified certificate (or the
 * certificate a trusted front proxy forwarded, validated again against the device CA) and writes the posture and
 * any note to the {@link io.gatehouse.gateway.RequestContext}. It never takes a device identity from an ordinary
 * header, and never lets an inventory failure count in the device's favour: unknown, and the note says why.
 */
@NullMarked
package io.gatehouse.gateway.device;

import org.jspecify.annotations.NullMarked;
