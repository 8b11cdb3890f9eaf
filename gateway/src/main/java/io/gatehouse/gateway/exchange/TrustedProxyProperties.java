package io.gatehouse.gateway.exchange;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code gatehouse.trusted-proxies}: the CIDRs (IPv4 or IPv6, a bare address counts as /32 or /128) of front
 * proxies whose forwarding headers ({@code Forwarded}, {@code X-Forwarded-*}, the forwarded client certificate)
 * the gateway believes. Empty by default: then every such header is removed from every request.
 */
@ConfigurationProperties("gatehouse")
public record TrustedProxyProperties(List<String> trustedProxies) {

    public TrustedProxyProperties {
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    }
}
