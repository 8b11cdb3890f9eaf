/**
 * hello-app: a small internal app behind Gatehouse that shows who you are. It exists to show, and
 * to test end to end, how a backend trusts the gateway: one dependency (gatehouse-verifier), the
 * {@code gatehouse.verifier.*} properties and one line of security configuration. It never
 * answers a request without a verified assertion, except its health check.
 */
@NullMarked
package io.gatehouse.hello;

import org.jspecify.annotations.NullMarked;
