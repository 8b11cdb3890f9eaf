package io.gatehouse.gateway.device;

import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code gatehouse.inventory.*}: where the posture client asks, and how. {@code url} is device-inventory's base URL;
 * {@code token-uri}, {@code client-id} and {@code client-secret} get a client-credentials token with
 * {@code scope} (default {@code posture:read}); {@code timeout} (default 1s) bounds each lookup, {@code cache-ttl}
 * (default 5s) how long an answer, "not enrolled" included, is reused (a quarantine takes effect within it); {@code cache-size} bounds the cache.
 * Without {@code url} every presented device counts as unknown (and the note says the inventory is not configured).
 */
@ConfigurationProperties("gatehouse.inventory")
public record InventoryProperties(@Nullable URI url, @Nullable URI tokenUri, @Nullable String clientId,
                                  @Nullable String clientSecret, @Nullable String scope, @Nullable Duration timeout,
                                  @Nullable Duration cacheTtl, @Nullable Integer cacheSize) {

    public InventoryProperties {
        scope = scope == null || scope.isBlank() ? "posture:read" : scope;
        timeout = timeout == null ? Duration.ofSeconds(1) : timeout;
        cacheTtl = cacheTtl == null ? Duration.ofSeconds(5) : cacheTtl;
        cacheSize = cacheSize == null ? 10_000 : cacheSize;
    }

    /** For tests and wiring: the given endpoints with every default. */
    public static InventoryProperties of(URI url, @Nullable URI tokenUri, @Nullable String clientId,
                                         @Nullable String clientSecret) {
        return new InventoryProperties(url, tokenUri, clientId, clientSecret, null, null, null, null);
    }

    public InventoryProperties withTimeout(Duration value) {
        return new InventoryProperties(url, tokenUri, clientId, clientSecret, scope, value, cacheTtl, cacheSize);
    }

    public InventoryProperties withCacheTtl(Duration value) {
        return new InventoryProperties(url, tokenUri, clientId, clientSecret, scope, timeout, value, cacheSize);
    }
}
