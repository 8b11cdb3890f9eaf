/** Tests of the {@code web} part of the inventory (support: the shared real-server fixtures). */
@NullMarked
package io.gatehouse.deviceinventory.web;

import org.jspecify.annotations.NullMarked;
