/**
 * The decision service's Envoy gRPC ext_authz v3 endpoint ({@code envoy.service.auth.v3.Authorization/Check},
 * docs/design-next.md 2): its own grpc-java listener, the interceptor that establishes the calling proxy before any
 * request is read, the mapping of a {@code CheckRequest} to the facts of the request it describes and of the
 * pipeline's outcome to a {@code CheckResponse}. It reads the Envoy protos and the shared decision pipeline; it
 * never decides anything itself, and never answers OK for a check it could not decide (a fault is gRPC INTERNAL).
 */
@NullMarked
package io.gatehouse.gateway.decisionservice.grpc;

import org.jspecify.annotations.NullMarked;
