package io.gatehouse.gateway.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.testsupport.DevPki;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A forwarded certificate is validated against the device CA once, then recognised from the cache. */
class ClientCertificatesTest {

    @TempDir
    Path dir;

    private static String header(Path pem) throws Exception {
        // as nginx writes $ssl_client_escaped_cert: spaces as %20, never "+"
        return URLEncoder.encode(Files.readString(pem), StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void forwardedWhenSameHeaderAgainThenValidatedOnce() throws Exception {
        DevPki pki = DevPki.create(dir);
        ClientCertificates certificates = ClientCertificates.fromDeviceCa(pki.caPem().toString());
        String header = header(pki.issueDevice("laptop").certificatePem());

        var first = certificates.forwarded(header).orElseThrow();
        var second = certificates.forwarded(header).orElseThrow();

        assertThat(second).isEqualTo(first);
        assertThat(certificates.chainValidations()).isEqualTo(1);
    }

    @Test
    void forwardedWhenIssuedByAnotherCaThenRejectedEveryTime() throws Exception {
        DevPki ours = DevPki.create(dir.resolve("ours"));
        DevPki other = DevPki.create(dir.resolve("other"), "Other CA");
        ClientCertificates certificates = ClientCertificates.fromDeviceCa(ours.caPem().toString());
        String header = header(other.issueDevice("intruder").certificatePem());

        assertThatThrownBy(() -> certificates.forwarded(header)).isInstanceOf(GeneralSecurityException.class);
        // a failure is never cached as a success, and is checked again
        assertThatThrownBy(() -> certificates.forwarded(header)).isInstanceOf(GeneralSecurityException.class);
        assertThat(certificates.chainValidations()).isEqualTo(2);
    }
}
