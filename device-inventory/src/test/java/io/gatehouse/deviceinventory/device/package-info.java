/** Tests of the {@code device} part of the inventory (support: the shared real-server fixtures). */
@NullMarked
package io.gatehouse.deviceinventory.device;

import org.jspecify.annotations.NullMarked;
