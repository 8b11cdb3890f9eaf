/**
 * The real servers the tests of every module stand up, in one place (issue #17): a throw-away PKI
 * ({@link io.gatehouse.testsupport.DevPki}), JWKS endpoints and an OIDC issuer that really sign
 * ({@link io.gatehouse.testsupport.JwksServer}, {@link io.gatehouse.testsupport.TestIssuer}), an echo upstream
 * ({@link io.gatehouse.testsupport.EchoUpstream}), a Redis ({@link io.gatehouse.testsupport.RedisServer}) and a
 * launcher for the packaged jars
 * ({@link io.gatehouse.testsupport.ServiceProcess}), and the decision-log line's schema check
 * ({@link io.gatehouse.testsupport.DecisionLogSchema}). Everything listens on loopback only and waits with a bound;
 * nothing here may be used by production code (the module is a test-scoped dependency).
 */
@NullMarked
package io.gatehouse.testsupport;

import org.jspecify.annotations.NullMarked;
