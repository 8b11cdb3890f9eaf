/**
 * What the Spring Security adapters share: the {@link
 * io.gatehouse.verifier.spring.GatehouseAuthentication} a verified assertion becomes (groups as
 * {@code GROUP_<name>} authorities) and the exception a rejected one becomes. It reads a {@link
 * io.gatehouse.verifier.GatehouseIdentity}; it never builds an authentication from anything
 * unverified.
 */
@NullMarked
package io.gatehouse.verifier.spring;

import org.jspecify.annotations.NullMarked;
