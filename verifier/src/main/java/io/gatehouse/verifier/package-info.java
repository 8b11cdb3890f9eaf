/**
 * Verifies the {@code X-Gatehouse-Assertion} header that the Gatehouse gateway adds to every
 * request it lets through (docs/design.md, "The assertion header"). It reads the token, the request
 * it arrived with and the gateway's published keys (JWKS), and produces a {@link
 * io.gatehouse.verifier.GatehouseIdentity} or an {@link
 * io.gatehouse.verifier.AssertionRejectedException} with an exact reason. It accepts ES256
 * only, never trusts a key named by the token itself, and never lets a request through on an
 * error: every failure is a rejection.
 */
@NullMarked
package io.gatehouse.verifier;

import org.jspecify.annotations.NullMarked;
