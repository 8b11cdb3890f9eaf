/** Tests of the {@code trust} part of the inventory (support: the shared real-server fixtures). */
@NullMarked
package io.gatehouse.deviceinventory.trust;

import org.jspecify.annotations.NullMarked;
