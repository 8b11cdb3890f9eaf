/**
 * The gateway application: every request walks the stages of {@link io.gatehouse.gateway.RequestStage} in order,
 * one sub-package per stage, so the folders read like the request path in docs/design.md. RECORD is the path's one
 * {@code WebFilter}; it calls the later stages as plain {@link io.gatehouse.gateway.RequestStep}s (issue 17). Stages share what they learn through one typed {@link io.gatehouse.gateway.RequestContext}, never
 * through loose exchange attributes. Nothing here lets a request through on an error: fail closed, and say why.
 */
@NullMarked
package io.gatehouse.gateway;

import org.jspecify.annotations.NullMarked;
