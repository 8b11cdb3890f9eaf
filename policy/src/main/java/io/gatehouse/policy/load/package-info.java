/**
 * Reads {@code gatehouse.yaml} into a {@link io.gatehouse.policy.CompiledConfig}. It composes YAML into nodes
 * that keep their positions, walks them with an {@link io.gatehouse.policy.parse.Errors} sink and returns a
 * {@link io.gatehouse.policy.load.LoadResult}: the config, or every error as {@code FILE:LINE:COL: message}.
 * It must never stop at the first error nor throw for a bad file.
 */
@NullMarked
package io.gatehouse.policy.load;

import org.jspecify.annotations.NullMarked;
