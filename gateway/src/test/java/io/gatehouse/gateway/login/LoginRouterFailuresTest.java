package io.gatehouse.gateway.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.gateway.config.LiveConfig;
import io.gatehouse.gateway.session.BrowserSessions;
import io.gatehouse.gateway.session.SessionIndex;
import io.gatehouse.gateway.session.TokenRefresher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.session.ReactiveMapSessionRepository;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Issue 17, "Catch only what you mean": a sign-in whose code redemption or session creation failed is answered
 * 400 when the IdP refused, 503 "Sign-in is unavailable" when the IdP or the session store could not be asked (as
 * before), and no longer 503 when the failure is a bug: that error goes on to the error handler (500) and is counted
 * in {@code gatehouse_internal_errors_total{stage="login"}}.
 */
class LoginRouterFailuresTest {

    @TempDir
    Path dir;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private LoginRouter router;

    @BeforeEach
    void router() throws IOException {
        Path file = dir.resolve("gatehouse.yaml");
        Files.writeString(file, "routes: []\n");
        var properties = new OidcProperties("https://idp.corp.example", "gatehouse", "secret", null, null, null, null,
                null, null);
        var sessions = new BrowserSessions(new ReactiveMapSessionRepository(new ConcurrentHashMap<>()),
                new SessionIndex.InMemory(), Duration.ofHours(8));
        router = new LoginRouter(new OidcClient(properties, Clock.systemUTC()), sessions, properties,
                Clock.systemUTC(), new LiveConfig(file, meters, Duration.ZERO, Clock.systemUTC()), meters);
    }

    private double internalErrors() {
        var counter = meters.find("gatehouse_internal_errors").tag("stage", "login").counter();
        return counter == null ? 0 : counter.count();
    }

    private HttpStatus status(Throwable failure) {
        ServerResponse response = router.failed(failure, "req-1").block(Duration.ofSeconds(5));
        assertThat(response).isNotNull();
        return HttpStatus.valueOf(response.statusCode().value());
    }

    @Test
    void failedWhenBugThenTheBugGoesOnAndIsCounted() {
        assertThatThrownBy(() -> router.failed(new NullPointerException("a bug"), "req-1").block())
                .isInstanceOf(NullPointerException.class);
        assertThat(internalErrors()).isEqualTo(1);
    }

    @Test
    void failedWhenIdpUnreachableThen503AsBefore() {
        assertThat(status(new ConnectException("refused"))).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(internalErrors()).isZero();
    }

    @Test
    void failedWhenSessionStoreUnreachableThen503AsBefore() {
        assertThat(status(new RedisConnectionFailureException("down"))).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    }

    @Test
    void failedWhenIdpRefusedThen400AsBefore() {
        assertThat(status(new TokenRefresher.Rejected("invalid_grant"))).isEqualTo(HttpStatus.BAD_REQUEST);
    }
}
