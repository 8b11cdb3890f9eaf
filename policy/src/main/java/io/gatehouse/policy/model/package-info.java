/**
 * The config model as immutable records: a {@link io.gatehouse.policy.model.Route} with its
 * {@link io.gatehouse.policy.model.Policy} of allow and deny {@link io.gatehouse.policy.model.Rule}s. Values
 * here are already validated and compiled by the loader; they hold no YAML and no positions.
 */
@NullMarked
package io.gatehouse.policy.model;

import org.jspecify.annotations.NullMarked;
