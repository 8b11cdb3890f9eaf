package io.gatehouse.gateway.decision;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

class BrowserNavigationTest {

    private static MockServerHttpRequest.BaseBuilder<?> page() {
        return MockServerHttpRequest.get("https://app.example/x")
                .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
    }

    @Test
    void testWhenTopLevelNavigationThenTrue() {
        assertThat(BrowserNavigation.test(page().header("Sec-Fetch-Mode", "navigate").build())).isTrue();
        assertThat(BrowserNavigation.test(page().build())).isTrue();
    }

    @Test
    void testWhenFetchModeCorsThenFalse() {
        assertThat(BrowserNavigation.test(page().header("Sec-Fetch-Mode", "cors").build())).isFalse();
    }

    @Test
    void testWhenXRequestedWithThenFalse() {
        assertThat(BrowserNavigation.test(page().header("X-Requested-With", "XMLHttpRequest").build())).isFalse();
    }

    @Test
    void testWhenAuthorizationPresentThenFalse() {
        assertThat(BrowserNavigation.test(page().header("Authorization", "Bearer x").build())).isFalse();
    }

    @Test
    void testWhenAcceptJsonOrWildcardThenFalse() {
        assertThat(BrowserNavigation.test(MockServerHttpRequest.get("https://app.example/x")
                .header("Accept", "application/json").build())).isFalse();
        assertThat(BrowserNavigation.test(MockServerHttpRequest.get("https://app.example/x")
                .header("Accept", "*/*").build())).isFalse();
    }

    @Test
    void testWhenPostThenFalse() {
        assertThat(BrowserNavigation.test(MockServerHttpRequest.post("https://app.example/x")
                .header("Accept", "text/html").build())).isFalse();
    }
}
