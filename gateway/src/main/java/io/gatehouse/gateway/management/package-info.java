/**
 * Rules for the management listener: health, readiness and Prometheus metrics live on their own port, never on
 * the public one. Reads {@code server.port} and {@code management.server.port}; produces nothing but a refusal
 * to start when they collide. Must never expose an endpoint that changes state (Spring Cloud Gateway's route
 * editor stays off, see application.yml).
 */
@NullMarked
package io.gatehouse.gateway.management;

import org.jspecify.annotations.NullMarked;
