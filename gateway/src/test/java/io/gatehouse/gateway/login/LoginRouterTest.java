package io.gatehouse.gateway.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** RP-initiated logout never carries the ID token; the same-origin rule of a logout POST. */
class LoginRouterTest {

    @Test
    void endSessionUrlWhenBuiltThenClientIdAndPostLogoutRedirectAndNoIdTokenHint() {
        URI url = LoginRouter.endSessionUrl(URI.create("https://idp.example/realms/r/logout"), "gatehouse",
                URI.create("https://app.example/.gatehouse/signed-out"));

        assertThat(url.getRawQuery()).contains("client_id=gatehouse")
                .contains("post_logout_redirect_uri=https%3A%2F%2Fapp.example%2F.gatehouse%2Fsigned-out")
                .doesNotContain("id_token_hint");
        assertThat(url.toString()).startsWith("https://idp.example/realms/r/logout?");
    }

    @Test
    void sameOriginWhenBothHeadersAgreeThenTrue() {
        var request = MockServerHttpRequest.post("https://app.example/.gatehouse/logout")
                .header("Origin", "https://app.example").header("Sec-Fetch-Site", "same-origin").build();

        assertThat(SameOrigin.test(request, "https://app.example")).isTrue();
    }

    @Test
    void sameOriginWhenOriginRepeatedThenFalse() {
        var request = MockServerHttpRequest.post("https://app.example/.gatehouse/logout")
                .header("Origin", "https://app.example", "https://evil.example").build();

        assertThat(SameOrigin.test(request, "https://app.example")).isFalse();
    }
}
