package io.gatehouse.gateway.device;

import io.gatehouse.gateway.RequestContext;
import io.gatehouse.gateway.RequestStage;
import io.gatehouse.gateway.exchange.TrustedProxies;
import io.gatehouse.gateway.tls.ConnectionTls;
import io.gatehouse.policy.DevicePosture;
import io.gatehouse.policy.Reason;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
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

    private final PostureClient postures;
    private final ClientCertificates certificates;
    private final TrustedProxies trustedProxies;
    private final String forwardedHeader;

    public DeviceWebFilter(PostureClient postures, ClientCertificates certificates, TrustedProxies trustedProxies,
                           String forwardedHeader) {
        this.postures = Objects.requireNonNull(postures, "postures");
        this.certificates = Objects.requireNonNull(certificates, "certificates");
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
        if (direct != null) {
            return lookup(ClientCertificates.sha256Hex(direct), context, exchange, chain);
        }
        String forwarded = trustedProxies.trusts(exchange.getRequest().getRemoteAddress())
                ? exchange.getRequest().getHeaders().getFirst(forwardedHeader) : null;
        if (forwarded == null) {
            return chain.filter(exchange);
        }
        // Consumed here: upstreams learn the device from the assertion only, never from this header.
        ServerWebExchange consumed = exchange.mutate()
                .request(ConnectionTls.mutate(exchange.getRequest()).headers(h -> h.remove(forwardedHeader)).build())
                .build();
        try {
            Optional<X509Certificate> certificate = certificates.forwarded(forwarded);
            if (certificate.isEmpty()) {
                return chain.filter(consumed);
            }
            return lookup(ClientCertificates.sha256Hex(certificate.get()), context, consumed, chain);
        } catch (GeneralSecurityException | RuntimeException e) {
            // A forwarded certificate we cannot verify is a presented device that counts unknown, and says why.
            String id = "forwarded-certificate-invalid";
            context.device(id, DevicePosture.unknown(id, "invalid forwarded certificate"),
                    new Reason(PostureLookup.CERTIFICATE_INVALID, "forwarded client certificate rejected ("
                            + e.getClass().getSimpleName() + "); device counts as unknown"));
            return chain.filter(consumed);
        }
    }

    private Mono<Void> lookup(String sha256, RequestContext context, ServerWebExchange exchange,
                              WebFilterChain chain) {
        return postures.posture(sha256)
                .doOnNext(answer -> context.device(sha256, answer.posture(), answer.note()))
                .then(Mono.defer(() -> chain.filter(exchange)));
    }

}
