package io.gatehouse.deviceinventory.store;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code inventory.embedded-postgres.*}, used only when {@code spring.datasource.url} is absent.
 *
 * @param dataDirectory where the embedded server keeps its files; empty means a fresh temporary directory that
 *     is deleted on shutdown (nothing survives a restart)
 * @param port loopback port of the embedded server; 0 picks a free one
 */
@ConfigurationProperties("inventory.embedded-postgres")
public record EmbeddedPostgresProperties(@Nullable String dataDirectory, int port) {
}
