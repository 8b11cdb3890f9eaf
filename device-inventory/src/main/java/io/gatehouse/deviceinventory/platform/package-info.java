/**
 * What a device runs: the operating-system families the inventory knows and OS versions that compare as numbers.
 * The device resource stores them and the trust policy judges them, so they live below both (issue #17: this broke
 * the {@code device}↔{@code trust} cycle). Parsing ignores case and never throws; a bad value is an empty result.
 */
@NullMarked
package io.gatehouse.deviceinventory.platform;

import org.jspecify.annotations.NullMarked;
