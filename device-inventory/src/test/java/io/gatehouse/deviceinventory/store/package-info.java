/** Tests of the {@code store} part of the inventory: the embedded PostgreSQL default. */
@NullMarked
package io.gatehouse.deviceinventory.store;

import org.jspecify.annotations.NullMarked;
