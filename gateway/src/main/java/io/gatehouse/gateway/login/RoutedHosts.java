package io.gatehouse.gateway.login;

import io.gatehouse.gateway.config.LiveConfig;
import io.gatehouse.gateway.exchange.Addresses;
import java.util.Objects;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Does this request's host serve a route (issue 16, item 11)? The login endpoints redirect to URLs on the request's
 * own host; on a Host that serves nothing (any name an attacker points at the gateway, or a port no route names) they
 * must not answer at all, or the gateway would hand out redirects and pages for hosts it does not front. A host
 * serves a route when some route's {@code from} names the same host (case-insensitively) and the same effective
 * port, whatever its path prefix. Read from the config in force, so a reload applies at once.
 */
final class RoutedHosts {

    private final LiveConfig config;

    RoutedHosts(LiveConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    boolean serves(ServerHttpRequest request) {
        if (request.getURI().getHost() == null) {
            return false;
        }
        String host = Addresses.hostName(request);
        int port = Addresses.port(request);
        // As route selection compares (policy RouteTable): host and effective port.
        return config.current().routes().stream().anyMatch(r -> r.host().equals(host) && r.port() == port);
    }
}
