package io.gatehouse.gateway.listener;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import reactor.netty.ChannelPipelineConfigurer;
import reactor.netty.http.server.ProxyProtocolSupportType;

/**
 * Puts {@link ListenerProperties} on the public (TLS) listener; the management listener is left alone (it is not
 * reachable from outside the cluster). Per accepted connection, {@link ConnectionLimits}: the cap on open
 * connections, the TLS handshake deadline and the HTTP/1.1 request-head deadline. The request-body timeouts are
 * {@link RequestBodyTimeouts}, per request. With {@link ProxyProtocolProperties} set, PROXY protocol is required
 * from the trusted load balancers and every other peer is refused ({@link ProxyProtocolGate}), before the cap.
 */
@Component
final class ListenerLimits implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Ordered {

    private static final Logger log = LoggerFactory.getLogger(ListenerLimits.class);

    private final ListenerProperties properties;
    private final ProxyProtocolProperties proxyProtocol;
    private final ObjectProvider<MeterRegistry> meters;

    ListenerLimits(ListenerProperties properties, ProxyProtocolProperties proxyProtocol,
                   ObjectProvider<MeterRegistry> meters) {
        this.properties = Objects.requireNonNull(properties, "properties");
        this.proxyProtocol = Objects.requireNonNull(proxyProtocol, "proxyProtocol");
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    @Override
    public void customize(NettyReactiveWebServerFactory factory) {
        if (!Ssl.isEnabled(factory.getSsl())) {
            return;
        }
        MeterRegistry registry = meters.getIfAvailable(SimpleMeterRegistry::new);
        ConnectionLimits limits = new ConnectionLimits(properties, registry);
        if (proxyProtocol.enabled()) {
            ProxyProtocolGate gate = new ProxyProtocolGate(proxyProtocol.rules(),
                    ConnectionLimits.refused(registry, "proxy-protocol-untrusted"),
                    ConnectionLimits.refused(registry, "proxy-protocol-invalid"));
            // The gate first: a connection it refuses takes no slot under max-connections.
            ChannelPipelineConfigurer perConnection = (observer, channel, remote) -> {
                if (gate.admit(channel, remote)) {
                    limits.onChannelInit(observer, channel, remote);
                }
            };
            factory.addServerCustomizers(server -> server.proxyProtocol(ProxyProtocolSupportType.ON)
                    .doOnChannelInit(perConnection));
            log.info("public listener: PROXY protocol required from {}, other peers refused",
                    proxyProtocol.trustedAddresses());
        } else {
            factory.addServerCustomizers(server -> server.doOnChannelInit(limits));
        }
        log.info("public listener limits: TLS handshake {}, request head {}, body gap {}, body {}, {} connections",
                properties.tlsHandshakeTimeout(), properties.headerReadTimeout(), properties.bodyReadTimeout(),
                properties.bodyTimeout(), properties.maxConnections());
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
