/**
 * Browser sessions (docs/design.md, "Identity: browser sessions and bearer tokens"): the server-side session behind the
 * {@code __Host-gatehouse} cookie, held in a Spring Session repository (in memory by default). It reads the cookie,
 * produces the session's {@link io.gatehouse.policy.Identity} for the AUTHENTICATE stage, refreshes tokens before
 * they expire and ends sessions by id, OIDC {@code sid} or {@code sub}. It keeps identity facts and the refresh and
 * ID tokens only, never logs a session id (only its hash), never lets the cookie reach an upstream nor an upstream
 * set it, and holds bounded state only (capped, expiring in-memory stores; a TTL on every Redis key).
 */
@NullMarked
package io.gatehouse.gateway.session;

import org.jspecify.annotations.NullMarked;
