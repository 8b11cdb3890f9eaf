/**
 * A plain Jakarta Servlet filter for backends without Spring Security. It reads the assertion
 * header and the request line, asks a {@link io.gatehouse.verifier.GatehouseVerifier}, and either
 * puts the {@link io.gatehouse.verifier.GatehouseIdentity} in a request attribute or answers 401.
 * It never passes a request on without a verified identity.
 */
@NullMarked
package io.gatehouse.verifier.servlet;

import org.jspecify.annotations.NullMarked;
