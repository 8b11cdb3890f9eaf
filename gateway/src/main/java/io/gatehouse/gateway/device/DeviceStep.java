package io.gatehouse.gateway.device;

import io.gatehouse.gateway.RequestContext;
import io.gatehouse.gateway.RequestStep;
import io.gatehouse.gateway.exchange.TrustedProxies;
import io.gatehouse.gateway.tls.ConnectionTls;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;
import org.springframework.web.server.ServerWebExchange;
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
public final class DeviceStep implements RequestStep {

    private final DeviceResolver resolver;
    private final TrustedProxies trustedProxies;
    private final String forwardedHeader;

    public DeviceStep(PostureClient postures, ClientCertificates certificates, TrustedProxies trustedProxies,
                           String forwardedHeader) {
        this.resolver = new DeviceResolver(postures, certificates);
        this.trustedProxies = Objects.requireNonNull(trustedProxies, "trustedProxies");
        this.forwardedHeader = Objects.requireNonNull(forwardedHeader, "forwardedHeader");
    }

    /** As a lone filter (unit tests): this step, then {@code chain}. */
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return apply(exchange, RequestContext.of(exchange), chain::filter);
    }

    @Override
    public Mono<Void> apply(ServerWebExchange exchange, RequestContext context, Next next) {
        ConnectionTls tls = ConnectionTls.of(exchange.getRequest());
        X509Certificate direct = tls == null ? null : tls.clientCertificate();
        String forwarded = direct != null || !trustedProxies.trusts(exchange.getRequest().getRemoteAddress()) ? null
                : exchange.getRequest().getHeaders().getFirst(forwardedHeader);
        if (direct == null && forwarded == null) {
            return next.proceed(exchange);
        }
        // Consumed here: upstreams learn the device from the assertion only, never from this header.
        ServerWebExchange after = forwarded == null ? exchange : exchange.mutate()
                .request(ConnectionTls.mutate(exchange.getRequest()).headers(h -> h.remove(forwardedHeader)).build())
                .build();
        Mono<Optional<RequestContext.DeviceFacts>> resolved = resolver.resolve(direct, forwarded);
        if (RequestStep.ready(resolved)) {
            // A cached posture (or no device, or an invalid forwarded certificate): no Reactor operators on the way.
            Optional<RequestContext.DeviceFacts> found = RequestStep.now(resolved);
            if (found != null) {
                found.ifPresent(device -> record(context, device));
            }
            return next.proceed(after);
        }
        return resolved
                .doOnNext(found -> found.ifPresent(device -> record(context, device)))
                .then(Mono.defer(() -> next.proceed(after)));
    }

    private static void record(RequestContext context, RequestContext.DeviceFacts device) {
        context.device(device.certificateSha256(), device.posture(),
                device.notes().isEmpty() ? null : device.notes().get(0));
    }
}
