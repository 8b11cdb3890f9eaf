/**
 * JMH benchmarks of the policy engine, built only with the {@code bench} Maven profile. They generate a config of
 * 50 routes and 250 rules, load it, and time route selection plus evaluation for allowed and denied requests, with
 * and without a CEL rule, and the load itself. Figures go to docs/performance.md; nothing here is part of the jar.
 */
@NullMarked
package io.gatehouse.policy.bench;

import org.jspecify.annotations.NullMarked;
