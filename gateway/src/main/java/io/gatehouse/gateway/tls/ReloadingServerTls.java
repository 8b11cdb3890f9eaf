package io.gatehouse.gateway.tls;

import io.gatehouse.gateway.settings.KeyWatchProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleRegistry;
import org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.WebServerSslBundle;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Makes the public listener's TLS material reloadable without a restart. The settings stay where they were
 * ({@code server.ssl.certificate} + {@code certificate-private-key} or {@code server.ssl.key-store}, and the device CA
 * that {@link DeviceCaTls} put in as trust certificate); this customizer turns them into a Spring Boot SSL bundle
 * named {@value #BUNDLE}, hands the server that bundle ({@code server.ssl.bundle}), and watches the files
 * ({@link KeyFileWatch}). When they change, the whole bundle is built again and checked (every file parses, the
 * private key belongs to the certificate, the certificate is within its validity, the trust store holds a CA) before
 * {@link SslBundleRegistry#updateBundle} swaps it in: new connections then get the new certificate and the new
 * device CA; open connections keep theirs. A broken set keeps the old bundle, is logged with the reason and counted
 * ({@code gatehouse_tls_reload_failures_total}).
 *
 * <p>An operator who configures {@code server.ssl.bundle} directly keeps it: Spring Boot reloads such a bundle itself
 * when it sets {@code reload-on-update: true}.
 */
@Component
final class ReloadingServerTls implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Ordered, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReloadingServerTls.class);

    /** The name of the bundle built from {@code server.ssl.*} and {@code gatehouse.device-ca}. */
    static final String BUNDLE = "gatehouse-server";

    private record Watched(String bundle, Ssl spec, KeyFileWatch watch) {
    }

    private final SslBundleRegistry registry;
    private final Duration pollInterval;
    private final Counter reloads;
    private final Counter failures;
    private final List<Watched> watched = new CopyOnWriteArrayList<>();
    private volatile boolean running;

    ReloadingServerTls(SslBundleRegistry registry, MeterRegistry meters,
                       KeyWatchProperties keyWatch) {
        this.registry = registry;
        this.pollInterval = keyWatch.pollInterval();
        this.reloads = Counter.builder("gatehouse.tls.reloads")
                .description("server certificate / device CA re-read from their files and swapped in").register(meters);
        this.failures = Counter.builder("gatehouse.tls.reload.failures")
                .description("changed server TLS files refused; the previous certificate and CA stay in use")
                .register(meters);
    }

    @Override
    public void customize(NettyReactiveWebServerFactory factory) {
        Ssl ssl = factory.getSsl();
        if (!Ssl.isEnabled(ssl)) {
            return;
        }
        if (StringUtils.hasText(ssl.getBundle())) {
            log.info("listener on port {} uses server.ssl.bundle {}: reloaded by Spring Boot if that bundle sets"
                    + " reload-on-update", factory.getPort(), ssl.getBundle());
            return;
        }
        String name = watched.isEmpty() ? BUNDLE : BUNDLE + "-" + (watched.size() + 1);
        List<Path> files = files(ssl);
        // Before the first read: a change between the two is seen at the next look.
        KeyFileWatch watch = new KeyFileWatch("server TLS (" + name + ")", files, () -> reload(name, ssl, files));
        SslBundle bundle = WebServerSslBundle.get(ssl);
        try {
            check(bundle);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("server.ssl: " + e.getMessage(), e);
        }
        registry.registerBundle(name, bundle);
        watched.add(new Watched(name, ssl, watch));
        factory.setSsl(byBundle(ssl, name));
        if (running) {
            watch.start(pollInterval);
        }
    }

    /** What the server gets instead: the same options, the material by bundle name. */
    private static Ssl byBundle(Ssl ssl, String bundle) {
        Ssl copy = new Ssl();
        copy.setEnabled(true);
        copy.setBundle(bundle);
        copy.setClientAuth(ssl.getClientAuth());
        copy.setServerNameBundles(ssl.getServerNameBundles());
        return copy;
    }

    private void reload(String name, Ssl spec, List<Path> files) {
        try {
            SslBundle bundle = WebServerSslBundle.get(spec);
            String serving = check(bundle);
            registry.updateBundle(name, bundle);
            reloads.increment();
            log.warn("server TLS reloaded from {}: new connections get {}", files, serving);
        } catch (GeneralSecurityException | RuntimeException e) {
            failures.increment();
            log.error("server TLS files {} changed but were NOT reloaded, the previous certificate and device CA stay in"
                    + " use: {}", files, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /**
     * Loads every store and checks the set as a whole; returns a description of the certificate. Boot's PEM stores
     * are read lazily, so without this a broken file would only show as failing handshakes.
     */
    static String check(SslBundle bundle) throws GeneralSecurityException {
        KeyStore keys = bundle.getStores().getKeyStore();
        if (keys == null) {
            throw new GeneralSecurityException("no server key store");
        }
        List<String> served = new ArrayList<>();
        for (String alias : Collections.list(keys.aliases())) {
            if (!keys.isKeyEntry(alias)) {
                continue;
            }
            Key key = key(keys, alias, bundle);
            Certificate[] chain = keys.getCertificateChain(alias);
            if (!(key instanceof PrivateKey privateKey) || chain == null || chain.length == 0
                    || !(chain[0] instanceof X509Certificate cert)) {
                throw new GeneralSecurityException("entry " + alias + " has no private key with a certificate");
            }
            cert.checkValidity();
            matches(privateKey, cert);
            served.add(cert.getSubjectX500Principal().getName() + " serial " + cert.getSerialNumber().toString(16)
                    + " until " + cert.getNotAfter().toInstant());
        }
        if (served.isEmpty()) {
            throw new GeneralSecurityException("no private key entry in the server key store");
        }
        KeyStore trust = bundle.getStores().getTrustStore();
        if (trust != null && trust.size() == 0) {
            throw new GeneralSecurityException("the trust store (device CA) holds no certificate");
        }
        bundle.getManagers().getKeyManagerFactory();
        bundle.getManagers().getTrustManagerFactory();
        bundle.createSslContext();
        return served + (trust == null ? "" : ", trusting " + trust.size() + " device CA certificate(s)");
    }

    private static Key key(KeyStore keys, String alias, SslBundle bundle) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String password : Stream.of(bundle.getKey().getPassword(), bundle.getStores().getKeyStorePassword(), "")
                .filter(p -> p != null).toList()) {
            try {
                Key key = keys.getKey(alias, password.toCharArray());
                if (key != null) {
                    return key;
                }
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last != null ? last : new GeneralSecurityException("cannot read the key of entry " + alias);
    }

    /** The private key signs, the certificate's public key verifies: they are one pair. */
    private static void matches(PrivateKey key, X509Certificate cert) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm().toUpperCase(Locale.ROOT)) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "ED25519", "EDDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return; // a key type we cannot test: the handshake will tell
        }
        byte[] challenge = "gatehouse server key check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(challenge);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(cert.getPublicKey());
        verifier.update(challenge);
        if (!verifier.verify(signature)) {
            throw new GeneralSecurityException("the private key does not belong to the certificate "
                    + cert.getSubjectX500Principal().getName() + " (serial " + cert.getSerialNumber().toString(16) + ")");
        }
    }

    /** The files behind the settings that are files on disk (not {@code classpath:} resources or inline PEM). */
    private static List<Path> files(Ssl ssl) {
        List<Path> files = new ArrayList<>();
        for (String location : new String[] {ssl.getCertificate(), ssl.getCertificatePrivateKey(), ssl.getKeyStore(),
                ssl.getTrustCertificate(), ssl.getTrustCertificatePrivateKey(), ssl.getTrustStore()}) {
            Path file = file(location);
            if (file != null && !files.contains(file)) {
                files.add(file);
            }
        }
        return files;
    }

    private static @Nullable Path file(@Nullable String location) {
        if (!StringUtils.hasText(location) || location.startsWith("classpath:") || location.contains("-----BEGIN")) {
            return null;
        }
        return Path.of(location.startsWith("file:") ? location.substring("file:".length()) : location);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after DeviceCaTls, which adds the device CA as trust certificate
    }

    @Override
    public void start() {
        watched.forEach(w -> w.watch().start(pollInterval));
        running = true;
    }

    @Override
    public void stop() {
        watched.forEach(w -> w.watch().close());
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
