package io.gatehouse.gateway.decisionservice.http;

/**
 * The check does not describe a request that can be judged: a fact is missing or malformed (no method, host or
 * path; {@code X-Original-URL} not an absolute http(s) URL; a client address that is not an IP). Answered with code
 * {@code authz-facts-invalid}, never with a guess. The message names the header and what was found.
 */
public final class FactsInvalidException extends Exception {

    public FactsInvalidException(String message) {
        super(message, null, false, false);
    }
}
