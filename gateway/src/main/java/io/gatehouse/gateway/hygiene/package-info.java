/**
 * Stage 1 of the request path (docs/design.md, "The request path" and "Failure behaviour"): reject ambiguous or malformed
 * requests with 400 before anything else reads them, and strip every header a client could use to claim an identity
 * ({@code X-Gatehouse-*} in any spelling; forwarding headers unless the peer is a trusted front proxy). It reads the
 * raw request line and headers and writes the canonical path and any rejection to the
 * {@link io.gatehouse.gateway.RequestContext}. For HTTP/1.1 it also replaces Netty's request decoder, so request
 * framing a front proxy could read differently fails before any stage runs. It must never let a rejected request reach
 * a later stage or the upstream, and never "repair" an ambiguous path into something the upstream might read
 * differently.
 */
@NullMarked
package io.gatehouse.gateway.hygiene;

import org.jspecify.annotations.NullMarked;
