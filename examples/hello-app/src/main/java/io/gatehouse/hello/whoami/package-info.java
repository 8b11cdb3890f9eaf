/**
 * The "who you are" page and its JSON twin: both read the verified {@link
 * io.gatehouse.verifier.GatehouseIdentity} of the request and show the same facts (subject, email,
 * groups, device and trust, every claim, remaining lifetime). They never show an unverified
 * value, and the page escapes everything it prints.
 */
@NullMarked
package io.gatehouse.hello.whoami;

import org.jspecify.annotations.NullMarked;
