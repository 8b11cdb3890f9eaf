package io.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Every request is decided with the session's current facts: the gateway refreshes the tokens before they expire
 * (the e2e client's access tokens live 40 s, the refresh skew is 30 s), so a group removed at the IdP is seen, and a
 * user disabled at the IdP loses the session (the refused refresh ends it; the next navigation asks to sign in).
 */
@ExtendWith(Stack.class)
class RefreshIT {

    private WebDriver browser;
    private Stack stack;

    @BeforeEach
    void openBrowser() {
        stack = Stack.get();
        browser = Browsers.start();
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void refreshWhenGroupRemovedAtIdpThenNextRequestsAreDenied() throws Exception {
        browser.get(Stack.APP + "/ops/board");
        Browsers.signIn(browser, "alex", "alex-password");
        Browsers.waiting(browser).until(ExpectedConditions.urlToBe(Stack.APP + "/ops/board"));
        assertThat(browser.getPageSource()).contains("x-gatehouse-assertion");

        stack.keycloak.removeFromGroup("alex", "sre");

        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            browser.get(Stack.APP + "/ops/board");
            return browser.findElement(By.tagName("body")).getText().contains("Access denied");
        });
        assertThat(browser.findElement(By.tagName("body")).getText()).contains("is in groups [eng]");
    }

    @Test
    void refreshWhenUserDisabledAtIdpThenSessionEndsAndNextVisitAsksToSignIn() throws Exception {
        browser.get(Stack.APP + "/wiki/page");
        Browsers.signIn(browser, "robin", "robin-password");
        Browsers.waiting(browser).until(ExpectedConditions.urlToBe(Stack.APP + "/wiki/page"));

        stack.keycloak.disable("robin");

        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            browser.get(Stack.APP + "/wiki/page");
            return browser.getCurrentUrl().startsWith(stack.keycloak.origin());
        });
        // Ended by the refused refresh (or, should Keycloak end the user's sessions itself, by its back-channel logout).
        assertThat(stack.gateway.log()).containsAnyOf("the IdP refused the refresh", "back-channel logout: 1 session(s)");
    }
}
