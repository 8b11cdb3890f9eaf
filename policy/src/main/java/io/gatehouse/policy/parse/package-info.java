/**
 * What every part of loading {@code gatehouse.yaml} shares: the error sink ({@link io.gatehouse.policy.parse.Errors},
 * {@link io.gatehouse.policy.parse.ConfigError}), the place in the file a value is read at
 * ({@link io.gatehouse.policy.parse.ParseContext}) and small readers of YAML nodes, durations and spelling
 * suggestions. The loader and each criterion parse with it; it depends on neither, so the two never depend on each
 * other's insides (issue #17: this package broke the {@code criteria}↔{@code load} cycle). It must never throw for
 * a bad file, only report.
 */
@NullMarked
package io.gatehouse.policy.parse;

import org.jspecify.annotations.NullMarked;
