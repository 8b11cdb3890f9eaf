package io.gatehouse.gateway.decisionservice;

import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.boot.ssl.jks.JksSslStoreBundle;
import org.springframework.boot.ssl.jks.JksSslStoreDetails;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.web.server.Ssl;

/**
 * The decision listeners' TLS material, as JDK key and trust managers so that every listener (Reactor Netty for
 * HTTP, grpc-java's shaded Netty for gRPC) builds its own context from the same facts: the certificate and key of
 * {@code gatehouse.authz.tls.*}, else the public listener's {@code server.ssl.*} (PEM or a key store); the trust
 * anchors of {@code gatehouse.authz.client-ca} (callers' client certificates), when set. Loaded once at startup
 * (a rotated certificate needs a restart; the public listener reloads its own). A file that cannot be read fails
 * startup naming the property.
 */
public final class AuthzTls {

    private final KeyManagerFactory keys;
    private final @Nullable TrustManagerFactory callers;

    private AuthzTls(KeyManagerFactory keys, @Nullable TrustManagerFactory callers) {
        this.keys = keys;
        this.callers = callers;
    }

    /** The material for {@code properties}, falling back to {@code serverSsl}; null when TLS is off. */
    public static @Nullable AuthzTls load(AuthzProperties properties, @Nullable Ssl serverSsl) {
        Objects.requireNonNull(properties, "properties");
        if (!properties.tls().on()) {
            return null;
        }
        SslBundle server;
        try {
            server = serverBundle(properties.tls(), serverSsl);
        } catch (RuntimeException e) {
            throw new IllegalStateException("gatehouse.authz.tls: cannot load the decision service's certificate"
                    + " and key (" + e.getMessage() + ")", e);
        }
        TrustManagerFactory trust = null;
        if (properties.clientCa() != null) {
            try {
                trust = SslBundle.of(new PemSslStoreBundle(null, PemSslStoreDetails.forCertificates(
                        properties.clientCa()))).getManagers().getTrustManagerFactory();
            } catch (RuntimeException e) {
                throw new IllegalStateException("gatehouse.authz.client-ca: cannot read " + properties.clientCa()
                        + " (" + e.getMessage() + ")", e);
            }
        }
        return new AuthzTls(server.getManagers().getKeyManagerFactory(), trust);
    }

    private static SslBundle serverBundle(AuthzProperties.Tls tls, @Nullable Ssl ssl) {
        if (tls.certificate() != null) {
            return SslBundle.of(new PemSslStoreBundle(PemSslStoreDetails.forCertificate(tls.certificate())
                    .withPrivateKey(tls.privateKey()), null));
        }
        if (ssl == null) {
            throw new IllegalArgumentException("neither gatehouse.authz.tls.certificate nor server.ssl.* is set");
        }
        if (ssl.getCertificate() != null) {
            return SslBundle.of(new PemSslStoreBundle(PemSslStoreDetails.forCertificate(ssl.getCertificate())
                    .withPrivateKey(ssl.getCertificatePrivateKey()).withPassword(ssl.getKeyPassword()), null));
        }
        if (ssl.getKeyStore() != null) {
            SslStoreBundle stores = new JksSslStoreBundle(new JksSslStoreDetails(ssl.getKeyStoreType(),
                    ssl.getKeyStoreProvider(), ssl.getKeyStore(), ssl.getKeyStorePassword()), null);
            return SslBundle.of(stores, SslBundleKey.of(ssl.getKeyPassword(), ssl.getKeyAlias()));
        }
        throw new IllegalArgumentException("server.ssl has neither a certificate nor a key store");
    }

    /** The listener's certificate and key. */
    public KeyManagerFactory keyManagers() {
        return keys;
    }

    /** The callers' CA, or null when no caller is identified by certificate (then no client certificate is asked). */
    public @Nullable TrustManagerFactory callerTrustManagers() {
        return callers;
    }
}
