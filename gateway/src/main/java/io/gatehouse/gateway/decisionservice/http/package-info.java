/**
 * The decision service's HTTP forward-auth listener (docs/decision-service.md): its own Reactor Netty server on its
 * own port, the caller trust check before anything is read, and the dialects nginx {@code auth_request},
 * Traefik/Caddy forward-auth and Envoy HTTP ext_authz, each turning a check into
 * {@link io.gatehouse.gateway.exchange.RequestFacts} and an {@link io.gatehouse.gateway.decisionservice.Outcome}
 * into the answer that proxy understands. It never serves the public listener's routes.
 */
@NullMarked
package io.gatehouse.gateway.decisionservice.http;

import org.jspecify.annotations.NullMarked;
