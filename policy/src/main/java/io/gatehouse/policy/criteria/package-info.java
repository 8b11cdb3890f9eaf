/**
 * One class per rule key ({@code source_ips} → {@code SourceIpsCriterion}). Each parses its own YAML value at
 * load time, reporting problems to the error sink, and at evaluation answers {@code Match.holds} or
 * {@code Match.fails} with a reason sentence and a stable code. Evaluation is pure: it reads only the
 * {@link io.gatehouse.policy.Request}, never a clock, the network or the file system.
 */
@NullMarked
package io.gatehouse.policy.criteria;

import org.jspecify.annotations.NullMarked;
