/**
 * The decision service (issue 20; docs/design-next.md §2, docs/decision-service.md): Gatehouse as the decision
 * point other proxies ask on every request. {@link io.gatehouse.gateway.decisionservice.DecisionPipeline} runs the
 * stages as functions over the request facts a trusted caller describes; {@code CallerTrust} decides whom to trust
 * before anything a caller sent is read; the listeners (HTTP dialects in {@code decisionservice.http}, Envoy gRPC in
 * {@code decisionservice.grpc}) render the outcome. It imports every stage and nothing imports it; it never runs
 * on the public listener.
 */
@NullMarked
package io.gatehouse.gateway.decisionservice;

import org.jspecify.annotations.NullMarked;
