package io.gatehouse.gateway.decisionservice.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.gateway.exchange.RequestFacts;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/**
 * Which header carries the device certificate is the dialect's, never the client's choice. nginx (the shipped
 * configuration sets X-Forwarded-Client-Cert from {@code $ssl_client_escaped_cert}) and Envoy (XFCC) never set
 * X-Forwarded-Tls-Client-Cert, but both pass the client's own headers to the decision: a client that sent one with a
 * copy of someone's (public) device certificate was taken for that device (seen through the real nginx and Caddy,
 * e2e DecisionProxyContract). Only forward-auth (Traefik, Caddy) reads the base64-DER header.
 */
class ForwardedCertificateHeadersTest {

    private static final String COPIED_DER = "MIIBITCByAIUTtsNggXQS+q8VvYNj7Db9tbbkXYwCgYIKoZIzj0EAwIw";

    private static AuthzCheck check(String method, String path, String... nameValues) {
        HttpHeaders headers = new HttpHeaders();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.add(nameValues[i], nameValues[i + 1]);
        }
        return new AuthzCheck(method, path, null, headers, "127.0.0.1");
    }

    @Test
    void nginxWhenOnlyTheDerHeaderIsSentThenNoDeviceCertificate() throws Exception {
        RequestFacts facts = new NginxDialect().facts(check("GET", "", "Host", "gatehouse-authz:9443",
                "X-Original-URL", "https://app.example/reports", "X-Original-Method", "GET", "X-Real-IP", "192.0.2.10",
                "X-Forwarded-Tls-Client-Cert", COPIED_DER));

        assertThat(facts.forwardedCertificate()).isNull();
    }

    @Test
    void envoyHttpWhenOnlyTheDerHeaderIsSentThenNoDeviceCertificate() throws Exception {
        RequestFacts facts = new EnvoyHttpDialect().facts(check("GET", "/reports", "Host", "app.example",
                "X-Forwarded-Proto", "https", "X-Forwarded-For", "192.0.2.10",
                "X-Forwarded-Tls-Client-Cert", COPIED_DER));

        assertThat(facts.forwardedCertificate()).isNull();
    }

    @Test
    void forwardAuthWhenTheDerHeaderIsSentThenItIsTheDeviceCertificateAsPem() throws Exception {
        RequestFacts facts = new ForwardAuthDialect().facts(check("GET", "", "X-Forwarded-Method", "GET",
                "X-Forwarded-Proto", "https", "X-Forwarded-Host", "app.example", "X-Forwarded-Uri", "/reports",
                "X-Forwarded-For", "192.0.2.10", "X-Forwarded-Tls-Client-Cert", COPIED_DER));

        assertThat(facts.forwardedCertificate()).isEqualTo("-----BEGIN CERTIFICATE-----\n" + COPIED_DER
                + "\n-----END CERTIFICATE-----\n");
    }
}
