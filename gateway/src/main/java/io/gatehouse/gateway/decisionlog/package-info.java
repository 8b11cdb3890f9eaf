/**
 * Stage 7, RECORD: wraps the whole chain, creates the RequestContext and request id, and writes one JSON line per
 * request on the logger {@code gatehouse.decision} through a queue bounded in lines and bytes and one writer thread.
 * Reads every stage's results from the RequestContext; produces the decision log, its metrics and the health
 * component {@code decisionLog}. Must never log a token, cookie, assertion or query string, never write on a
 * request thread, and never lose a line without counting it as dropped.
 */
@NullMarked
package io.gatehouse.gateway.decisionlog;

import org.jspecify.annotations.NullMarked;
