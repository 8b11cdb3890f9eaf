package io.gatehouse.gateway.device;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code gatehouse.device.forwarded-certificate-header}: the header in which a trusted front proxy
 * ({@code gatehouse.trusted-proxies}) forwards the client certificate it verified, URL-encoded PEM as nginx's
 * {@code $ssl_client_escaped_cert} writes it, or Envoy's {@code X-Forwarded-Client-Cert} with a {@code Cert="..."}
 * element. Default {@code X-Forwarded-Client-Cert}. From any other peer the header is removed by the HYGIENE stage
 * and ignored here.
 */
@ConfigurationProperties("gatehouse.device")
public record DeviceProperties(String forwardedCertificateHeader) {

    public DeviceProperties {
        forwardedCertificateHeader = forwardedCertificateHeader == null || forwardedCertificateHeader.isBlank()
                ? "X-Forwarded-Client-Cert" : forwardedCertificateHeader;
    }
}
