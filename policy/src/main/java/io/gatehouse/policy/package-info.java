/**
 * The policy engine's public face: the request it is asked about ({@link io.gatehouse.policy.Request}, with its
 * {@link io.gatehouse.policy.Identity} and {@link io.gatehouse.policy.DevicePosture}) and the answer it gives
 * ({@link io.gatehouse.policy.Decision}). Callers load a {@code gatehouse.yaml} into a
 * {@link io.gatehouse.policy.CompiledConfig} and ask it to decide. Nothing here knows about HTTP servers,
 * Spring or I/O beyond reading the config file; evaluation is pure and the clock is an input.
 */
@NullMarked
package io.gatehouse.policy;

import org.jspecify.annotations.NullMarked;
