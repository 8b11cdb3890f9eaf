/**
 * Token claims to {@link io.gatehouse.policy.Identity}, one way for every credential (issue 17): the AUTHENTICATE
 * stage's bearer tokens and the browser login's ID tokens both call {@link io.gatehouse.gateway.claims.ClaimsMapper},
 * each with the rules of its source (groups claim, what an absent {@code email_verified} means). It reads only a
 * verified token's claims and produces an identity; it must never verify anything itself nor import a stage, so that
 * {@code authn}, {@code login} and {@code session} can all use it without a cycle.
 */
@NullMarked
package io.gatehouse.gateway.claims;

import org.jspecify.annotations.NullMarked;
