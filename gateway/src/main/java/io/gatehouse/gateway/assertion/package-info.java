/**
 * Stage 5, ASSERT: signs the ES256 {@code X-Gatehouse-Assertion} for each allowed request, holds the signing keys and
 * their rotation windows, and serves the JWKS. Reads the route, identity and device from the RequestContext and keys
 * from {@code gatehouse.signing.*}; produces the header and the JWKS. Must never sign without a decision that lets the
 * request through, never publish a private key, and never sign with a key that retires before the token expires.
 */
@NullMarked
package io.gatehouse.gateway.assertion;

import org.jspecify.annotations.NullMarked;
