/**
 * Spring Security (WebFlux) wiring: {@code GatehouseServerSecurity.configure(http, verifier)} adds
 * an authentication web filter that turns a valid assertion into a {@link
 * io.gatehouse.verifier.spring.GatehouseAuthentication} and an entry point that answers 401 with
 * the reason. Verification runs off the event loop, because an unknown key can mean a blocking
 * JWKS fetch. It never authenticates a request whose assertion failed.
 */
@NullMarked
package io.gatehouse.verifier.spring.webflux;

import org.jspecify.annotations.NullMarked;
