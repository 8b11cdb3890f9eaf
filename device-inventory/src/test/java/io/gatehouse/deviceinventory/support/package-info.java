/** Tests of the {@code support} part of the inventory (support: the shared real-server fixtures). */
@NullMarked
package io.gatehouse.deviceinventory.support;

import org.jspecify.annotations.NullMarked;
