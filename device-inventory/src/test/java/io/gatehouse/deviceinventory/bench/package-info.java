/** The posture load check (a {@code main}, not a test); figures go to docs/performance.md. */
@NullMarked
package io.gatehouse.deviceinventory.bench;

import org.jspecify.annotations.NullMarked;
