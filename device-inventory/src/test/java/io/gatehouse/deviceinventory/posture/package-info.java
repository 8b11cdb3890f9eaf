/** Tests of the {@code posture} part of the inventory (support: the shared real-server fixtures). */
@NullMarked
package io.gatehouse.deviceinventory.posture;

import org.jspecify.annotations.NullMarked;
