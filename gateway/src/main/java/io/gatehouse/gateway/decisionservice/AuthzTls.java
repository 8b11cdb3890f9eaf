package io.gatehouse.gateway.decisionservice;

import io.gatehouse.gateway.tls.KeyFileWatch;
import io.gatehouse.gateway.tls.ServerBundleCheck;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.ssl.util.KeyManagerFactoryWrapper;
import io.netty.handler.ssl.util.TrustManagerFactoryWrapper;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.boot.ssl.jks.JksSslStoreBundle;
import org.springframework.boot.ssl.jks.JksSslStoreDetails;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.web.server.Ssl;
import org.springframework.util.StringUtils;

/**
 * The decision listeners' TLS material, as JDK key and trust managers so that every listener (Reactor Netty for
 * HTTP, grpc-java's shaded Netty for gRPC) builds its own context from the same facts: the certificate and key of
 * {@code gatehouse.authz.tls.*}, else the public listener's {@code server.ssl.*} (PEM or a key store); the trust
 * anchors of {@code gatehouse.authz.client-ca} (callers' client certificates), when set. A file that cannot be read
 * at startup fails startup naming the property.
 *
 * <p>Reloaded without a restart, like the public listener's ({@code tls.ReloadingServerTls}): the files are watched
 * by a {@link KeyFileWatch} ({@code gatehouse.key-watch.poll-interval}); a changed set that has settled is read whole
 * and checked ({@link ServerBundleCheck}: every file parses, the key belongs to the certificate, the certificate is
 * within its validity, the client CA file holds a certificate) and only then swapped into the key and trust managers
 * the listeners already hold ({@link SwappableKeyManager}, {@link SwappableTrustManager}), which are asked on every
 * handshake: new connections get the new certificate and CA, open ones keep theirs. A broken set (half a file, a new
 * certificate next to the old key) keeps the material in force, is logged at WARN naming the properties and files and
 * counted in {@code gatehouse_tls_authz_reload_failures_total}; the next change is tried again. Good ones count in
 * {@code gatehouse_tls_authz_reloads_total}. See docs/operations.md, "Key and certificate rotation".
 */
public final class AuthzTls implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuthzTls.class);

    /** One consistent set read from the files. */
    private record Material(X509ExtendedKeyManager keys, @Nullable X509ExtendedTrustManager callers, String serving) {
    }

    private final AuthzProperties properties;
    private final @Nullable Ssl serverSsl;
    private final SwappableKeyManager keys;
    private final @Nullable SwappableTrustManager callers;
    private final List<Path> files;
    private final Counter reloads;
    private final Counter failures;
    private @Nullable KeyFileWatch watch;

    private AuthzTls(AuthzProperties properties, @Nullable Ssl serverSsl, Material material, List<Path> files,
                     MeterRegistry meters) {
        this.properties = properties;
        this.serverSsl = serverSsl;
        this.keys = new SwappableKeyManager(material.keys());
        this.callers = material.callers() == null ? null : new SwappableTrustManager(material.callers());
        this.files = files;
        this.reloads = Counter.builder("gatehouse.tls.authz.reloads")
                .description("decision listeners' certificate / client CA re-read from their files and swapped in")
                .register(meters);
        this.failures = Counter.builder("gatehouse.tls.authz.reload.failures")
                .description("changed decision-listener TLS files refused; the previous certificate and CA stay in use")
                .register(meters);
    }

    /** The material for {@code properties}, falling back to {@code serverSsl}, not watched; null when TLS is off. */
    public static @Nullable AuthzTls load(AuthzProperties properties, @Nullable Ssl serverSsl, MeterRegistry meters) {
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(meters, "meters");
        if (!properties.tls().on()) {
            return null;
        }
        List<Path> files = files(properties, serverSsl);
        Material material = read(properties, serverSsl);
        return new AuthzTls(properties, serverSsl, material, files, meters);
    }

    /**
     * Starts watching the files every {@code pollInterval}. The watch takes the files' content as it is now; a change
     * between {@link #load} and here is therefore read once more right away.
     */
    synchronized void watch(Duration pollInterval) {
        if (watch != null || files.isEmpty()) {
            return;
        }
        KeyFileWatch started = new KeyFileWatch("decision service TLS", files, this::reload);
        reload(false);
        started.start(pollInterval);
        watch = started;
    }

    private void reload() {
        reload(true);
    }

    private void reload(boolean count) {
        Material next;
        try {
            next = read(properties, serverSsl);
        } catch (IllegalStateException e) {
            failures.increment();
            log.warn("decision service TLS files {} changed but were NOT reloaded, the previous certificate and client"
                    + " CA stay in use: {}", files, e.getMessage());
            return;
        }
        keys.swap(next.keys());
        if (callers != null && next.callers() != null) {
            callers.swap(next.callers());
        }
        if (count) {
            reloads.increment();
            log.warn("decision service TLS reloaded from {}: new connections get {}", files, next.serving());
        }
    }

    /** Reads and checks everything; an {@link IllegalStateException} naming the property and file otherwise. */
    private static Material read(AuthzProperties properties, @Nullable Ssl serverSsl) {
        AuthzProperties.Tls tls = properties.tls();
        String source = tls.certificate() != null
                ? "gatehouse.authz.tls.certificate/private-key (" + tls.certificate() + ", " + tls.privateKey() + ")"
                : "server.ssl.* (" + (serverSsl == null ? "unset" : locations(serverSsl)) + ")";
        X509ExtendedKeyManager keys;
        String serving;
        try {
            SslBundle server = serverBundle(tls, serverSsl);
            serving = ServerBundleCheck.check(server);
            keys = first(server.getManagers().getKeyManagerFactory().getKeyManagers(), X509ExtendedKeyManager.class);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException(source + ": cannot load the decision service's certificate and key ("
                    + e.getMessage() + ")", e);
        }
        X509ExtendedTrustManager callers = null;
        if (properties.clientCa() != null) {
            try {
                SslBundle ca = SslBundle.of(new PemSslStoreBundle(null,
                        PemSslStoreDetails.forCertificates(properties.clientCa())));
                KeyStore store = ca.getStores().getTrustStore();
                if (store == null || store.size() == 0) {
                    throw new IllegalArgumentException("no certificate in it");
                }
                callers = first(ca.getManagers().getTrustManagerFactory().getTrustManagers(),
                        X509ExtendedTrustManager.class);
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new IllegalStateException("gatehouse.authz.client-ca: cannot read " + properties.clientCa()
                        + " (" + e.getMessage() + ")", e);
            }
        }
        return new Material(keys, callers, serving);
    }

    private static <T> T first(Object[] managers, Class<T> type) {
        return Arrays.stream(managers).filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + type.getSimpleName() + " for it"));
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

    private static String locations(Ssl ssl) {
        return ssl.getCertificate() != null ? ssl.getCertificate() + ", " + ssl.getCertificatePrivateKey()
                : String.valueOf(ssl.getKeyStore());
    }

    /** The files behind the settings that are files on disk (not {@code classpath:} resources or inline PEM). */
    private static List<Path> files(AuthzProperties properties, @Nullable Ssl ssl) {
        List<String> locations = new ArrayList<>();
        AuthzProperties.Tls tls = properties.tls();
        if (tls.certificate() != null) {
            locations.addAll(Arrays.asList(tls.certificate(), tls.privateKey()));
        } else if (ssl != null) {
            locations.addAll(Arrays.asList(ssl.getCertificate(), ssl.getCertificatePrivateKey(), ssl.getKeyStore()));
        }
        locations.add(properties.clientCa());
        List<Path> files = new ArrayList<>();
        for (String location : locations) {
            if (!StringUtils.hasText(location) || location.startsWith("classpath:") || location.contains("-----BEGIN")) {
                continue;
            }
            Path file = Path.of(location.startsWith("file:") ? location.substring("file:".length()) : location);
            if (!files.contains(file)) {
                files.add(file);
            }
        }
        return List.copyOf(files);
    }

    /** The listener's certificate and key: asked on every handshake, so a reload reaches new connections. */
    public KeyManagerFactory keyManagers() {
        return new KeyManagerFactoryWrapper(keys);
    }

    /** The callers' CA, or null when no caller is identified by certificate (then no client certificate is asked). */
    public @Nullable TrustManagerFactory callerTrustManagers() {
        return callers == null ? null : new TrustManagerFactoryWrapper(callers);
    }

    /** Stops watching the files. */
    @Override
    public synchronized void close() {
        if (watch != null) {
            watch.close();
            watch = null;
        }
    }
}
