/**
 * Limits of the public (TLS) listener against clients that hold connections open: the TLS handshake deadline, the
 * request-head deadline, the request-body timeouts and the cap on open connections, with their metrics. Reads
 * {@code gatehouse.listener.*} (and Spring Boot's {@code server.netty.idle-timeout} for idle connections); produces
 * Reactor Netty server settings and per-connection Netty handlers. Must never touch the management listener and
 * never let a connection it refused or timed out reach a WebFilter, nor let a peer that is no trusted load balancer
 * choose its address with a PROXY header.
 */
@NullMarked
package io.gatehouse.gateway.listener;

import org.jspecify.annotations.NullMarked;
