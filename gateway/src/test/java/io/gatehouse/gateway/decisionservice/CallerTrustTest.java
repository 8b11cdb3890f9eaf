package io.gatehouse.gateway.decisionservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.testsupport.DevPki;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whom the decision service believes: by SAN of a verified client certificate, or by source CIDR; nobody else. */
class CallerTrustTest {

    @TempDir
    static Path dir;
    static DevPki pki;

    private static final AuthzProperties.TrustedCaller NGINX = new AuthzProperties.TrustedCaller("nginx",
            List.of("10.1.0.0/16", "127.0.0.1"), List.of());
    private static final AuthzProperties.TrustedCaller ENVOY = new AuthzProperties.TrustedCaller(null, List.of(),
            List.of("spiffe://cluster.local/ns/istio-system/sa/ingress", "proxy.corp.example"));

    private final CallerTrust trust = new CallerTrust(List.of(NGINX, ENVOY));

    @BeforeAll
    static void pki() {
        pki = DevPki.create(dir);
    }

    @Test
    void identifyWhenSourceInCidrThenTrustedByAddress() {
        assertThat(trust.identify(new InetSocketAddress("10.1.2.3", 4000), null))
                .contains(new Caller("10.1.2.3", Caller.How.ADDRESS));
        assertThat(trust.identify(new InetSocketAddress("127.0.0.1", 4000), null))
                .contains(new Caller("127.0.0.1", Caller.How.ADDRESS));
    }

    @Test
    void identifyWhenSourceOutsideEveryCidrThenUntrusted() {
        assertThat(trust.identify(new InetSocketAddress("10.2.0.1", 4000), null)).isEmpty();
        assertThat(trust.identify(new InetSocketAddress("127.0.0.2", 4000), null)).isEmpty();
        assertThat(trust.identify(null, null)).isEmpty();
    }

    @Test
    void identifyWhenCertificateUriSanConfiguredThenTrustedByCertificate() {
        DevPki.Issued caller = pki.issueCaller("ingress", "spiffe://cluster.local/ns/istio-system/sa/ingress");

        assertThat(trust.identify(new InetSocketAddress("192.0.2.7", 4000), caller.certificate()))
                .contains(new Caller("spiffe://cluster.local/ns/istio-system/sa/ingress", Caller.How.CERTIFICATE));
    }

    @Test
    void identifyWhenDnsSanDiffersOnlyInCaseThenTrusted() {
        DevPki.Issued caller = pki.issueCaller("proxy", "Proxy.Corp.Example");

        assertThat(trust.identify(new InetSocketAddress("192.0.2.7", 4000), caller.certificate())).isPresent();
    }

    @Test
    void identifyWhenCertificateSanNotConfiguredThenUntrusted() {
        DevPki.Issued other = pki.issueCaller("other", "spiffe://cluster.local/ns/default/sa/other");
        DevPki.Issued device = pki.issueDevice("laptop");

        assertThat(trust.identify(new InetSocketAddress("192.0.2.7", 4000), other.certificate())).isEmpty();
        assertThat(trust.identify(new InetSocketAddress("192.0.2.7", 4000), device.certificate())).isEmpty();
    }

    @Test
    void identifyWhenUriSanDiffersInCaseThenUntrusted() {
        DevPki.Issued caller = pki.issueCaller("ingress", "SPIFFE://cluster.local/ns/istio-system/sa/INGRESS");

        assertThat(trust.identify(new InetSocketAddress("192.0.2.7", 4000), caller.certificate())).isEmpty();
    }

    @Test
    void describeWhenRefusedThenSanElseAddress() {
        DevPki.Issued other = pki.issueCaller("other", "spiffe://x/y");

        assertThat(CallerTrust.describe(new InetSocketAddress("192.0.2.7", 1), other.certificate()))
                .isEqualTo("spiffe://x/y");
        assertThat(CallerTrust.describe(new InetSocketAddress("192.0.2.7", 1), null)).isEqualTo("192.0.2.7");
    }

    @Test
    void constructWhenCidrMalformedThenFailsNamingTheProperty() {
        assertThatThrownBy(() -> new CallerTrust(List.of(new AuthzProperties.TrustedCaller(null,
                List.of("10.0.0.0/33"), List.of()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gatehouse.authz.callers[0].cidrs").hasMessageContaining("10.0.0.0/33");
    }

    @Test
    void propertiesWhenCallerHasBothCidrsAndSanThenRefused() {
        assertThatThrownBy(() -> new AuthzProperties(null, List.of(new AuthzProperties.TrustedCaller(null,
                List.of("10.0.0.0/8"), List.of("x.example"))), "ca.pem", null, null, null))
                .hasMessageContaining("gatehouse.authz.callers[0]: set exactly one of cidrs");
    }

    @Test
    void propertiesWhenListenerOnAndNoCallersThenRefused() {
        assertThatThrownBy(() -> new AuthzProperties(null, List.of(), null, null, new AuthzProperties.Http(9443),
                null)).hasMessageContaining("trusts nobody");
        assertThatThrownBy(() -> new AuthzProperties(null, null, null, null, null, new AuthzProperties.Grpc(9444)))
                .hasMessageContaining("trusts nobody");
    }

    @Test
    void propertiesWhenSanCallerWithoutClientCaThenRefused() {
        assertThatThrownBy(() -> new AuthzProperties(null, List.of(ENVOY), null, null, null, null))
                .hasMessageContaining("gatehouse.authz.client-ca is required");
    }

    @Test
    void propertiesWhenUnsetThenOffOnLoopbackWithTls() {
        AuthzProperties off = new AuthzProperties(null, null, null, null, null, null);

        assertThat(off.address()).isEqualTo("127.0.0.1");
        assertThat(off.http().port()).isNull();
        assertThat(off.grpc().port()).isNull();
        assertThat(off.tls().on()).isTrue();
    }

    @Test
    void portGuardWhenAuthzPortEqualsAnotherThenStartupRefused() {
        assertThatThrownBy(() -> AuthzPortGuard.check("8443", null, "8443", "8081"))
                .hasMessageContaining("gatehouse.authz.http.port (8443) equals server.port");
        assertThatThrownBy(() -> AuthzPortGuard.check(null, "8081", "8443", "8081"))
                .hasMessageContaining("gatehouse.authz.grpc.port (8081) equals management.server.port");
        assertThatThrownBy(() -> AuthzPortGuard.check("9000", "9000", "8443", "8081"))
                .hasMessageContaining("gatehouse.authz.http.port (9000) equals gatehouse.authz.grpc.port");
    }

    @Test
    void portGuardWhenPortsDistinctOrRandomThenStarts() {
        org.assertj.core.api.Assertions.assertThatNoException().isThrownBy(() -> {
            AuthzPortGuard.check("9443", "9444", "8443", "8081");
            AuthzPortGuard.check("0", "0", "0", "0");
            AuthzPortGuard.check(null, null, "8443", null);
        });
    }
}
