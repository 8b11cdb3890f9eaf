/**
 * The gateway's own process settings ({@code gatehouse.*} Spring properties) checked before anything starts: every
 * {@code gatehouse.*} key in any property source (application.yml, environment variables, command line) must be one
 * the gateway reads, as listed in the configuration metadata ({@code META-INF/spring-configuration-metadata.json}).
 * An unknown key stops startup with where it came from and the nearest known key, unless
 * {@code gatehouse.strict-properties=false} turns that into a warning. Must never read or log property values.
 */
@NullMarked
package io.gatehouse.gateway.settings;

import org.jspecify.annotations.NullMarked;
