/**
 * hello-app's security: every request needs a verified {@code X-Gatehouse-Assertion}, except the
 * health check. It reads the verifier bean that gatehouse-verifier's auto-configuration makes
 * from {@code gatehouse.verifier.*}; it adds no login, no session and no other credential.
 */
@NullMarked
package io.gatehouse.hello.security;

import org.jspecify.annotations.NullMarked;
