package io.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testsupport.RedisServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Two gateway replicas sharing sessions through Redis ({@code spring.data.redis.*}): a login on one is a session on
 * the other, and a logout on one ends the session on both. Browsers send a host's cookies to every port of it, so
 * {@code localhost:28444} and {@code localhost:28445} see the same {@code __Host-gatehouse} cookie, as two replicas
 * behind one load balancer would.
 */
@ExtendWith(Stack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicasIT {

    private static final String ONE = "https://localhost:28444";
    private static final String TWO = "https://localhost:28445";

    private RedisServer redis;
    private GatewayProcess one;
    private GatewayProcess two;

    @BeforeAll
    void startReplicas() {
        Stack stack = Stack.get();
        redis = RedisServer.start(stack.dir.resolve("redis"));
        Map<String, String> shared = Map.of("spring.data.redis.host", "127.0.0.1",
                "spring.data.redis.port", Integer.toString(redis.port()));
        one = GatewayProcess.start(stack.jar, stack.dir.resolve("replica-1"), 28444, stack.pki,
                Stack.gatehouseYaml(stack.upstream.uri(), 28444), stack.keycloak, shared);
        two = GatewayProcess.start(stack.jar, stack.dir.resolve("replica-2"), 28445, stack.pki,
                Stack.gatehouseYaml(stack.upstream.uri(), 28445), stack.keycloak, shared);
    }

    @AfterAll
    void stopReplicas() {
        try (var r = redis; var a = one; var b = two) {
            // closed in reverse order
        }
    }

    @Test
    void sessionWhenSignedInOnOneReplicaThenServedByTheOtherAndLogoutOnOneEndsBoth() {
        WebDriver browser = Browsers.start();
        try {
            browser.get(ONE + "/first");
            Browsers.waiting(browser).until(ExpectedConditions.urlContains(Stack.get().keycloak.origin()));
            Browsers.signIn(browser, "pat", "pat-password");
            Browsers.waiting(browser).until(ExpectedConditions.urlToBe(ONE + "/first"));
            Cookie session = browser.manage().getCookieNamed("__Host-gatehouse");
            assertThat(session).isNotNull();

            browser.get(TWO + "/second");
            assertThat(browser.getCurrentUrl()).isEqualTo(TWO + "/second");
            assertThat(browser.getPageSource()).contains("x-gatehouse-assertion");
            assertThat(two.log()).contains("\"auth\":\"session\"");

            Browsers.signOut(browser, TWO);

            // The old cookie, replayed to the first replica, names a session that no longer exists.
            // (A __Host- cookie has no Domain attribute, so it is set again by name, value and flags.)
            browser.manage().addCookie(new Cookie.Builder(session.getName(), session.getValue()).path("/")
                    .isSecure(true).isHttpOnly(true).sameSite("Lax").build());
            browser.get(ONE + "/first");
            Browsers.waiting(browser).until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
            assertThat(browser.getCurrentUrl()).startsWith(Stack.get().keycloak.origin());
        } finally {
            browser.quit();
        }
    }
}
