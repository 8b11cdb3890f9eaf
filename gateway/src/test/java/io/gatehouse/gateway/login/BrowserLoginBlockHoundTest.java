package io.gatehouse.gateway.login;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.gateway.session.BrowserSessions;
import io.gatehouse.gateway.session.SessionIndex;
import io.gatehouse.gateway.testing.BlockHoundExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.session.ReactiveMapSessionRepository;
import reactor.blockhound.BlockingOperationError;
import reactor.netty.resources.LoopResources;

/**
 * Starting a login on a Reactor Netty event-loop thread (where the DECIDE stage calls it) under BlockHound: making
 * the state, nonce and PKCE verifier must not block (the default SecureRandom read /dev/urandom there). The first
 * test shows BlockHound really is on for this event loop, so the second one means something.
 */
class BrowserLoginBlockHoundTest {

    private final LoopResources loops = LoopResources.create("blockhound-login", 1, true);
    private BrowserLogin login;

    @BeforeEach
    void start() {
        BlockHoundExtension.install();
        BlockHoundExtension.takeFound();
        // Built here, on the test thread, as Spring builds it at startup.
        OidcProperties properties = new OidcProperties("http://127.0.0.1:9", "gatehouse", "secret", null, null, null,
                null, null, null);
        BrowserSessions sessions = new BrowserSessions(new ReactiveMapSessionRepository(new ConcurrentHashMap<>()),
                new SessionIndex.InMemory(), Duration.ofHours(8));
        login = new BrowserLogin(new OidcClient(properties, Clock.systemUTC()), sessions, properties);
    }

    @AfterEach
    void stop() {
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block(Duration.ofSeconds(10));
    }

    @Test
    void sleepOnNettyEventLoopWhenBlockHoundOnThenBlockingOperationError() {
        BlockHoundExtension.enforcing(() -> assertThat(onEventLoop(() -> {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })).isInstanceOf(BlockingOperationError.class));
        BlockHoundExtension.takeFound();
    }

    @Test
    void beginOnNettyEventLoopWhenManyLoginsStartThenSecretsAreMadeWithoutBlocking() {
        // begin() makes state, nonce and verifier as it assembles the login; asking the IdP happens on subscription,
        // on boundedElastic. A blocking call inside begin raises BlockingOperationError right there.
        BlockHoundExtension.enforcing(() -> {
            for (int i = 0; i < 50; i++) {
                String path = "/app/" + i;
                assertThat(onEventLoop(() -> login.begin("https://app.example", path, null, false)))
                        .as("login %s", i).isNull();
            }
        });
        BlockHoundExtension.takeFound();
    }

    private @Nullable Throwable onEventLoop(Runnable body) {
        return BlockHoundExtension.onEventLoop(loops, body);
    }
}
