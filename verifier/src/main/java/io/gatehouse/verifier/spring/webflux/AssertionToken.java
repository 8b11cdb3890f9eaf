package io.gatehouse.verifier.spring.webflux;

import java.util.List;
import java.util.Objects;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/** An assertion as received, not yet verified, with the request line it must be bound to. */
final class AssertionToken extends AbstractAuthenticationToken {
    private static final long serialVersionUID = 1L;

    private final String token;
    private final String method;
    private final String host;
    private final String path;

    AssertionToken(String token, String method, String host, String path) {
        super(List.of());
        this.token = Objects.requireNonNull(token, "token");
        this.method = Objects.requireNonNull(method, "method");
        this.host = Objects.requireNonNull(host, "host");
        this.path = Objects.requireNonNull(path, "path");
    }

    String token() {
        return token;
    }

    String method() {
        return method;
    }

    String host() {
        return host;
    }

    String path() {
        return path;
    }

    @Override
    public Object getCredentials() {
        return token;
    }

    @Override
    public Object getPrincipal() {
        return "unverified assertion";
    }
}
