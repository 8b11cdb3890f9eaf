package io.gatehouse.gateway.decisionservice;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The callers' trust anchors ({@code gatehouse.authz.client-ca}) behind one trust manager whose delegate
 * {@link AuthzTls} replaces when the file changes: each handshake checks the caller's certificate against the CA in
 * force when it runs. Checking server certificates is not this listener's job but is delegated all the same. It names
 * no accepted issuers (see {@link #getAcceptedIssuers}).
 */
final class SwappableTrustManager extends X509ExtendedTrustManager {

    private volatile X509ExtendedTrustManager trust;

    SwappableTrustManager(X509ExtendedTrustManager trust) {
        this.trust = Objects.requireNonNull(trust, "trust");
    }

    void swap(X509ExtendedTrustManager next) {
        trust = Objects.requireNonNull(next, "next");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        trust.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        trust.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        trust.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        trust.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        trust.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        trust.checkServerTrusted(chain, authType, engine);
    }

    /**
     * None: no list of CA names is sent with the certificate request (RFC 8446 4.2.4 and RFC 5246 7.4.4 let the client
     * then send any certificate). Netty's OpenSSL/BoringSSL context (the gRPC listener) copies this list once when it
     * is built, so after a CA rotation it would name the old CA and a caller that picks its certificate by it would
     * send none; callers present the one certificate they are configured with, and the check is the CA in force.
     */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
