/**
 * Stage 4, DECIDE: turns the exchange and what earlier stages learned into a {@code policy.Request}, asks the config in
 * force for a {@code Decision}, and answers refusals (404 no route, 401 anonymous, 403 denied) as HTML or
 * problem+json with reasons and request id. Also the single exception-to-response handler. Must never let a request
 * through on an error: fail closed, and say why.
 */
@NullMarked
package io.gatehouse.gateway.decision;

import org.jspecify.annotations.NullMarked;
