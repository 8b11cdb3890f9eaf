package io.gatehouse.gateway.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

class BrowserLoginTest {

    @Test
    void returnPathWhenPlainPathThenPathAndQuery() {
        assertThat(BrowserLogin.returnPath(MockServerHttpRequest.get("https://app.example/a/b?x=1&rd=https://evil.example").build()))
                .isEqualTo("/a/b?x=1&rd=https://evil.example");
    }

    @Test
    void returnPathWhenProtocolRelativeLookingPathThenRoot() {
        assertThat(BrowserLogin.returnPath(MockServerHttpRequest.method(HttpMethod.GET,
                URI.create("https://app.example//evil.example/x")).build())).isEqualTo("/");
        assertThat(BrowserLogin.returnPath(MockServerHttpRequest.method(HttpMethod.GET,
                URI.create("https://app.example/%5Cevil.example/x")).build())).isEqualTo("/%5Cevil.example/x");
    }

    @Test
    void originWhenDefaultPortThenNoPort() {
        assertThat(BrowserLogin.origin(MockServerHttpRequest.get("http://app.example:80/x").build()))
                .isEqualTo("http://app.example");
        assertThat(BrowserLogin.origin(MockServerHttpRequest.get("http://app.example:8080/x").build()))
                .isEqualTo("http://app.example:8080");
    }

    @Test
    void loginAttemptWhenEncodedThenDecodesToTheSame() {
        var attempt = new BrowserLogin.LoginAttempt("n", "v", "https://app.example:8443", "/a?b=c.d");
        assertThat(BrowserLogin.LoginAttempt.decode(BrowserLogin.LoginAttempt.encode(attempt))).isEqualTo(attempt);
        assertThat(BrowserLogin.LoginAttempt.decode("not-an-attempt")).isNull();
    }
}
