package io.gatehouse.gateway.tls;

import io.gatehouse.gateway.settings.GatehouseProperties;
import io.netty.handler.ssl.OpenSsl;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Asks for a client certificate in the TLS handshake ({@code client-auth: want}) and trusts only the device CA
 * named by {@code gatehouse.device-ca} (a PEM file) to have issued it (docs/design.md, "Device identity and posture").
 * A certificate that does not chain to that CA fails the handshake; no certificate is fine (no device).
 *
 * <p>Without {@code gatehouse.device-ca} the gateway asks for no certificate at all: {@code want} with no trust
 * material of our own would fall back to the JDK's public CAs, and any certificate bought anywhere would look
 * like a device.
 */
@Component
final class DeviceCaTls implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Ordered {

    private static final Logger log = LoggerFactory.getLogger(DeviceCaTls.class);

    private final @Nullable String deviceCa;

    DeviceCaTls(GatehouseProperties gatehouse) {
        this.deviceCa = gatehouse.deviceCa();
    }

    @Override
    public void customize(NettyReactiveWebServerFactory factory) {
        Ssl ssl = factory.getSsl();
        if (!Ssl.isEnabled(ssl)) {
            // The management listener (plain HTTP) passes here too; the public one always has TLS unless switched off.
            log.debug("listener on port {} has no TLS: no client certificates", factory.getPort());
            return;
        }
        log.info("TLS on port {} by {}", factory.getPort(), OpenSsl.isAvailable()
                ? OpenSsl.versionString() + " (netty-tcnative)"
                : "the JDK's SSLEngine; BoringSSL is not available here: " + OpenSsl.unavailabilityCause());
        if (deviceCa == null) {
            ssl.setClientAuth(Ssl.ClientAuth.NONE);
            log.warn("gatehouse.device-ca is not set: client certificates are not requested, every request has no device");
            return;
        }
        if (StringUtils.hasText(ssl.getBundle())) {
            // The operator's own bundle: its truststore must hold the device CA (docs/configuration.md).
            ssl.setClientAuth(Ssl.ClientAuth.WANT);
            log.info("client certificates requested (want), trusted issuers: the truststore of server.ssl.bundle {}",
                    ssl.getBundle());
            return;
        }
        ssl.setTrustCertificate(deviceCa);
        ssl.setClientAuth(Ssl.ClientAuth.WANT);
        log.info("client certificates requested (want), trusted issuer: device CA {}", deviceCa);
    }

    @Override
    public int getOrder() {
        // After Boot's own customizer, which copies server.ssl.* onto the factory; before ReloadingServerTls, which
        // turns the result (device CA included) into a reloadable SSL bundle.
        return Ordered.LOWEST_PRECEDENCE - 10;
    }
}
