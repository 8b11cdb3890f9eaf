/**
 * Turns a request into a decision: {@link io.gatehouse.policy.eval.RouteTable} picks the route by host, port
 * and longest path prefix, {@link io.gatehouse.policy.eval.PolicyEvaluator} applies deny-wins, then allow, then
 * default deny, and gathers the reasons. Everything here is pure and thread-safe and allocates little; the
 * time comes from the request, never from a clock.
 */
@NullMarked
package io.gatehouse.policy.eval;

import org.jspecify.annotations.NullMarked;
