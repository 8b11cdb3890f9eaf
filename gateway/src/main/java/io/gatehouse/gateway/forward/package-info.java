/**
 * Stage 6, FORWARD: Spring Cloud Gateway wiring. One catch-all route whose upstream URL is chosen per request from the
 * decided route; path and query unchanged; the gateway's own X-Forwarded-* headers; hop-by-hop headers (and h2c
 * upgrades) removed by SCG's filter configured in application.yml. Reads the RequestContext; produces the upstream
 * request. Must never forward a request DECIDE did not let through.
 */
@NullMarked
package io.gatehouse.gateway.forward;

import org.jspecify.annotations.NullMarked;
