/**
 * gatehouse.yaml in force: loaded at startup, watched, reloaded by building a complete new config and swapping it in
 * atomically. Reads the file named by {@code gatehouse.config}; produces {@link io.gatehouse.gateway.config.LiveConfig}.
 * Must never leave the gateway without a config or with a half-loaded one: a broken file is logged with every error,
 * counted, and ignored.
 */
@NullMarked
package io.gatehouse.gateway.config;

import org.jspecify.annotations.NullMarked;
