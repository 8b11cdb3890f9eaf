/**
 * What every stage needs to know about an exchange and may not work out on its own: the source address, scheme and
 * host the client addressed ({@link io.gatehouse.gateway.exchange.Addresses}), the gateway's reserved paths, and the
 * trusted front proxies. Shared by all stages and imported by any; it imports no stage, and it never reads a
 * forwarding header as truth.
 */
@NullMarked
package io.gatehouse.gateway.exchange;

import org.jspecify.annotations.NullMarked;
