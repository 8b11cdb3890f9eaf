/**
 * Stage 7, RECORD: wraps the whole chain, creates the RequestContext and request id, and writes one JSON line per
 * request on the logger {@code gatehouse.decision} through a bounded queue and one writer thread. Reads every stage's
 * results from the RequestContext; produces the decision log. Must never log a token, cookie, assertion or query
 * string, and never lose an event.
 */
@NullMarked
package io.gatehouse.gateway.decisionlog;

import org.jspecify.annotations.NullMarked;
