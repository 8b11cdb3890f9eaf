/**
 * Replay of the decision log (docs/policy.md, "Replay"): the decision facts a gateway writes on each line
 * ({@link io.gatehouse.policy.replay.DecisionFacts}: the {@code policy.Request} the policy was asked about), their
 * reading back into a request ({@link io.gatehouse.policy.replay.FactsReader}), and the re-decision of logged lines
 * against a candidate config with a bounded report of what would change
 * ({@link io.gatehouse.policy.replay.LineReplay}, {@link io.gatehouse.policy.replay.ReplayReport}). It never guesses a
 * fact a line does not carry: such a line "cannot replay", with the reason. It does no I/O.
 */
@NullMarked
package io.gatehouse.policy.replay;

import org.jspecify.annotations.NullMarked;
