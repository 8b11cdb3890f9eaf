/**
 * Spring Boot auto-configuration: a {@link io.gatehouse.verifier.GatehouseVerifier} bean from the
 * {@code gatehouse.verifier.*} properties (docs/design.md, "Runtime configuration"), made only when
 * issuer and audience are set and the app has no verifier bean of its own. It configures no
 * security rule by itself.
 */
@NullMarked
package io.gatehouse.verifier.spring.boot;

import org.jspecify.annotations.NullMarked;
