/** Tests of the {@code audit} part of the inventory (support: the shared real-server fixtures). */
@NullMarked
package io.gatehouse.deviceinventory.audit;

import org.jspecify.annotations.NullMarked;
