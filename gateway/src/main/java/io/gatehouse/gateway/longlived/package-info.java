/**
 * Continuous authorization of long-lived connections (issue 22; docs/design.md, "Long-lived connections"): every
 * upgraded WebSocket is registered in a bounded {@link io.gatehouse.gateway.longlived.ConnectionRegistry} and
 * re-decided with the current policy, identity and posture — on an interval per route, at once on a policy reload, a
 * posture change or the end of its session — by the same policy, session, bearer and posture code the door uses. A
 * connection the policy no longer allows is cut (close 1008 with a short reason) and the cut is logged with a
 * {@code connection} member. It reads what the stages recorded at the upgrade; it never lets a connection live
 * untracked, and it never keeps a bearer token, only its expiry.
 */
@NullMarked
package io.gatehouse.gateway.longlived;

import org.jspecify.annotations.NullMarked;
