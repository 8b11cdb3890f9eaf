package io.gatehouse.gateway.tls;

import io.gatehouse.gateway.settings.KeyWatchProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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

    /** {@link ServerBundleCheck#check}: every store loads, the key belongs to the certificate; a description. */
    static String check(SslBundle bundle) throws GeneralSecurityException {
        return ServerBundleCheck.check(bundle);
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
