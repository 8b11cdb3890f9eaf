/** Tests of the {@code platform} part of the inventory: OS families and version ordering. */
@NullMarked
package io.gatehouse.deviceinventory.platform;

import org.jspecify.annotations.NullMarked;
