/**
 * Spring Security (servlet) wiring: {@code http.with(GatehouseSecurityConfigurer.gatehouse(),
 * withDefaults())} adds a filter that turns a valid assertion into a {@link
 * io.gatehouse.verifier.spring.GatehouseAuthentication} and an entry point that answers 401 with
 * the reason. A missing header leaves the request anonymous, so the app's authorization rules
 * decide; an invalid one is answered 401 at once and never reaches the app.
 */
@NullMarked
package io.gatehouse.verifier.spring.servlet;

import org.jspecify.annotations.NullMarked;
