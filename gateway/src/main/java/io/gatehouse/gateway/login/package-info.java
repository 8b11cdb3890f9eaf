/**
 * Browser login (docs/design.md, "Identity: browser sessions and bearer tokens", "Failure behaviour"): the OIDC
 * authorization-code flow with PKCE (S256), state and nonce, the {@code /.gatehouse/callback}, {@code /logout} and
 * {@code /backchannel-logout} endpoints on every routed host, step-up with {@code max_age}, and the error pages of a
 * login. The protocol work (discovery, token requests, ID and logout token validation) is Nimbus oauth2-oidc-sdk's.
 * After a login the browser returns only to the URL it first asked for on the same host, never to a target taken
 * from a parameter, header or another host. The endpoints answer only on hosts that serve a route; a logout is a
 * same-origin POST (a GET shows a confirm page); a back-channel logout token is accepted once.
 */
@NullMarked
package io.gatehouse.gateway.login;

import org.jspecify.annotations.NullMarked;
