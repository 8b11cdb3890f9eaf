package io.gatehouse.gateway.decisionservice.http;

import io.gatehouse.gateway.decisionservice.Outcome;
import io.gatehouse.gateway.exchange.RequestFacts;

/**
 * One HTTP forward-auth dialect (docs/decision-service.md): how a proxy describes the request it asks about, and
 * how it wants the answer. Chosen by the listener's path, never guessed from headers. Implementations are pure and
 * thread-safe; they never see an untrusted caller's check.
 */
public interface Dialect {

    /** The name in {@code via.dialect} and the metrics' {@code dialect} tag. */
    String name();

    /** The described request; {@link FactsInvalidException} when a fact is missing or malformed. */
    RequestFacts facts(AuthzCheck check) throws FactsInvalidException;

    /** The answer to a decided check. */
    AuthzAnswer answer(Outcome outcome, RequestFacts facts);

    /** The answer to a check whose facts were invalid; {@code requestId} names it in the log line. */
    AuthzAnswer invalid(FactsInvalidException why, String requestId);
}
