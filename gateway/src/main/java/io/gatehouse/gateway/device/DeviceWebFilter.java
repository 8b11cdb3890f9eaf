package io.gatehouse.gateway.device;

import io.gatehouse.gateway.RequestContext;
import io.gatehouse.gateway.RequestStage;
import io.gatehouse.gateway.exchange.TrustedProxies;
import io.gatehouse.gateway.tls.ConnectionTls;
import java.security.cert.X509Certificate;
import java.util.Objects;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Stage DEVICE (docs/design.md, "Device identity and posture"). Steps:
 * <ol>
 *   <li>the device certificate: the one verified in this connection's TLS handshake; else, only when the peer is a
 *       trusted front proxy, the one it forwarded in {@code gatehouse.device.forwarded-certificate-header},
 *       validated against the device CA; else there is no device and the stage does nothing;</li>
 *   <li>its SHA-256 fingerprint → {@link PostureClient} (cache, timeout, breaker, never an error);</li>
 *   <li>the posture and any note (not enrolled, inventory unreachable, certificate invalid) go to the
 *       {@link RequestContext}; the DECIDE stage turns a note into the reason a device rule failed.</li>
 * </ol>
 */
public final class DeviceWebFilter implements WebFilter, Ordered {

    private final DeviceResolver resolver;
    private final TrustedProxies trustedProxies;
    private final String forwardedHeader;

    public DeviceWebFilter(PostureClient postures, ClientCertificates certificates, TrustedProxies trustedProxies,
                           String forwardedHeader) {
        this.resolver = new DeviceResolver(postures, certificates);
        this.trustedProxies = Objects.requireNonNull(trustedProxies, "trustedProxies");
        this.forwardedHeader = Objects.requireNonNull(forwardedHeader, "forwardedHeader");
    }

    @Override
    public int getOrder() {
        return RequestStage.DEVICE.order();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        RequestContext context = RequestContext.of(exchange);
        ConnectionTls tls = ConnectionTls.of(exchange.getRequest());
        X509Certificate direct = tls == null ? null : tls.clientCertificate();
        String forwarded = direct != null || !trustedProxies.trusts(exchange.getRequest().getRemoteAddress()) ? null
                : exchange.getRequest().getHeaders().getFirst(forwardedHeader);
        if (direct == null && forwarded == null) {
            return chain.filter(exchange);
        }
        // Consumed here: upstreams learn the device from the assertion only, never from this header.
        ServerWebExchange next = forwarded == null ? exchange : exchange.mutate()
                .request(ConnectionTls.mutate(exchange.getRequest()).headers(h -> h.remove(forwardedHeader)).build())
                .build();
        return resolver.resolve(direct, forwarded)
                .doOnNext(found -> found.ifPresent(device -> context.device(device.certificateSha256(),
                        device.posture(), device.notes().isEmpty() ? null : device.notes().get(0))))
                .then(Mono.defer(() -> chain.filter(next)));
    }
}
