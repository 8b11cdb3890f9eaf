/**
 * Stage 2 of the request path (docs/design.md, "Identity: browser sessions and bearer tokens"): turn the caller's
 * credential into an {@link io.gatehouse.policy.Identity}. It reads the {@code Authorization: Bearer} header (already
 * cleaned by the HYGIENE stage), verifies the JWT against the configured issuers' JWKS only, and records the
 * identity in the {@link io.gatehouse.gateway.RequestContext}. No credential is not a failure: the stage records
 * ANONYMOUS and the DECIDE stage answers. A presented but bad credential is a 401; it must never fall back to
 * anonymous, and the gateway's own assertion must never be accepted as a credential.
 */
@NullMarked
package io.gatehouse.gateway.authn;

import org.jspecify.annotations.NullMarked;
