package io.gatehouse.gateway.session;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.autoconfigure.data.redis.ClientResourcesBuilderCustomizer;
import org.springframework.boot.autoconfigure.data.redis.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.autoconfigure.data.redis.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.autoconfigure.data.redis.RedisProperties;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;

/**
 * What the gateway adds to Boot's Lettuce client (issue 18, item 1), after Boot applied every
 * {@code spring.data.redis.*} setting: a command timeout of {@value #DEFAULT_TIMEOUT_MS} ms and a connect timeout of
 * {@value #DEFAULT_CONNECT_TIMEOUT_MS} ms when {@code spring.data.redis.timeout} / {@code connect-timeout} are not
 * set (Lettuce's own defaults are 60 s and 10 s); commands rejected at once while disconnected (Lettuce would
 * otherwise queue them without bound until the connection is back); reconnection in the background, at most
 * {@code gatehouse.sessions.redis.max-reconnect-delay} apart; and a bounded request queue.
 */
public final class RedisFailFast implements LettuceClientConfigurationBuilderCustomizer,
        LettuceClientOptionsBuilderCustomizer, ClientResourcesBuilderCustomizer {

    static final long DEFAULT_TIMEOUT_MS = 500;
    static final long DEFAULT_CONNECT_TIMEOUT_MS = 1_000;

    private final RedisProperties redis;
    private final RedisSessionProperties bounds;

    public RedisFailFast(RedisProperties redis, RedisSessionProperties bounds) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.bounds = Objects.requireNonNull(bounds, "bounds");
    }

    @Override
    public void customize(LettuceClientConfiguration.LettuceClientConfigurationBuilder builder) {
        if (redis.getTimeout() == null) {
            builder.commandTimeout(Duration.ofMillis(DEFAULT_TIMEOUT_MS));
        }
    }

    @Override
    public void customize(ClientOptions.Builder builder) {
        builder.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .autoReconnect(true)
                .requestQueueSize(bounds.requestQueue());
        if (redis.getConnectTimeout() == null) {
            builder.socketOptions(SocketOptions.builder()
                    .connectTimeout(Duration.ofMillis(DEFAULT_CONNECT_TIMEOUT_MS)).build());
        }
    }

    @Override
    public void customize(io.lettuce.core.resource.ClientResources.Builder builder) {
        builder.reconnectDelay(Delay.exponential(Duration.ofMillis(100), bounds.maxReconnectDelay(), 2,
                TimeUnit.MILLISECONDS));
    }

}
