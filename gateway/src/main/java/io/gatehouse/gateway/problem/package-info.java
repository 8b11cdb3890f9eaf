/**
 * The gateway's own answers (docs/design.md, "Problem answers"): one problem+json schema on Spring's
 * {@code ProblemDetail} for every refusal and failure any stage or the error handler writes, and the HTML frame of the
 * pages a browser is shown instead. Reads the {@code RequestContext} only for the request id, arrival time and who is
 * signed in; never writes it, and never puts a credential into an answer.
 */
@NullMarked
package io.gatehouse.gateway.problem;

import org.jspecify.annotations.NullMarked;
