package io.gatehouse.e2e;

import io.gatehouse.testsupport.DevPki;
import io.gatehouse.testsupport.Processes;
import io.gatehouse.testsupport.ServiceProcess;
import io.gatehouse.testsupport.StubServer;
import io.gatehouse.testsupport.TestIssuer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gatehouse as the decision service of a real proxy (docs/design-next.md §2): the packaged gateway jar with its HTTP
 * decision listener on, hello-app (packaged jar, verifying the assertion against the gateway's JWKS), an OIDC issuer
 * that really signs ({@link TestIssuer}: bearer tokens, and the browser login) and an inventory stand-in answering
 * the posture of one enrolled device. The proxy itself (nginx, Caddy) is the test's: it listens on
 * {@link #proxyPort}, the port of the routed host {@code https://hello.localhost:PORT}, and reaches the gateway's
 * decision listener ({@link #authzPort}) from 127.0.0.1, the one caller address the gateway trusts.
 */
final class ProxiedStack implements AutoCloseable {

    static final String HOST = "hello.localhost";
    static final String DEVICE = "pat-laptop";
    static final String UNKNOWN_DEVICE = "found-laptop";
    static final String CLIENT_ID = "gatehouse-proxied";
    static final String CLIENT_SECRET = "proxied-secret";
    static final String ISSUER = "https://gatehouse.proxied";
    /** The one address the decision listener trusts: where the proxy connects from. */
    static final String TRUSTED_CALLER = "127.0.0.1";

    final Path dir;
    final DevPki pki;
    final DevPki.Issued device;
    final DevPki.Issued unknownDevice;
    final TestIssuer issuer;
    final StubServer inventory;
    final AtomicInteger postureLookups = new AtomicInteger();
    final ServiceProcess helloApp;
    final ServiceProcess gateway;
    final int proxyPort;
    final int publicPort;
    final int authzPort;
    final int helloPort;

    private ProxiedStack(Path dir, DevPki pki, DevPki.Issued device, DevPki.Issued unknownDevice, TestIssuer issuer,
                         StubServer inventory, ServiceProcess helloApp, ServiceProcess gateway, int[] ports) {
        this.dir = dir;
        this.pki = pki;
        this.device = device;
        this.unknownDevice = unknownDevice;
        this.issuer = issuer;
        this.inventory = inventory;
        this.helloApp = helloApp;
        this.gateway = gateway;
        this.proxyPort = ports[0];
        this.publicPort = ports[1];
        this.authzPort = ports[2];
        this.helloPort = ports[3];
    }

    static ProxiedStack start(String name) {
        Path root = ProxyConfigs.root();
        Path dir = root.resolve("e2e/target/proxied-" + name);
        try {
            deleteRecursively(dir);
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int[] ports = Processes.freePorts(5);
        int proxyPort = ports[0];
        int publicPort = ports[1];
        int authzPort = ports[2];
        int helloPort = ports[3];
        int management = ports[4];
        DevPki pki = DevPki.create(dir.resolve("pki"), "gatehouse-proxied", List.of("localhost", HOST));
        DevPki.Issued device = pki.issueDevice(DEVICE);
        DevPki.Issued unknownDevice = pki.issueDevice(UNKNOWN_DEVICE);
        TestIssuer issuer = TestIssuer.builder().signInAtAuthorize().start().client(CLIENT_ID, CLIENT_SECRET);
        StubServer inventory = StubServer.start(StubServer.Binding.loopback());
        AtomicInteger lookups = new AtomicInteger();
        inventory.route("/token", exchange -> StubServer.respond(exchange, 200,
                "{\"access_token\":\"posture-token\",\"token_type\":\"Bearer\",\"expires_in\":300}"));
        inventory.route("/v1/posture", exchange -> {
            lookups.incrementAndGet();
            String query = String.valueOf(exchange.getRequestURI().getQuery());
            if (query.equals("cert_sha256=" + device.sha256())) {
                StubServer.respond(exchange, 200, """
                        {"id":"%s","known":true,"managed":true,"trust":"high","disk_encrypted":true,"screen_lock":true,
                         "os":"macOS","os_version":"15.3","owner":"pat@corp.example","reported_at":"%s"}
                        """.formatted(DEVICE, java.time.Instant.now()));
            } else {
                StubServer.respond(exchange, 404, "{\"error\":\"unknown certificate\"}");
            }
        });
        ServiceProcess hello = null;
        ServiceProcess gateway = null;
        try {
            Path trustStore = trustStore(pki, dir.resolve("truststore.p12"));
            hello = ServiceProcess.launch("hello-app", root.resolve(
                            "examples/hello-app/target/hello-app-0.1.0-SNAPSHOT.jar"), dir.resolve("hello-app"),
                    List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                            "-Djavax.net.ssl.trustStore=" + trustStore, "-Djavax.net.ssl.trustStoreType=PKCS12",
                            "-Djavax.net.ssl.trustStorePassword=" + DevPki.PASSWORD),
                    List.of("--server.address=127.0.0.1", "--server.port=" + helloPort,
                            "--gatehouse.verifier.issuer=" + ISSUER, "--gatehouse.verifier.audience=hello",
                            "--gatehouse.verifier.jwks-uri=https://localhost:" + publicPort
                                    + "/.well-known/gatehouse/jwks.json",
                            "--gatehouse.verifier.public-host=" + HOST + ":" + proxyPort),
                    URI.create("http://127.0.0.1:" + helloPort + "/actuator/health"));
            Path config = Files.createDirectories(dir.resolve("config")).resolve("gatehouse.yaml");
            Files.writeString(config, routes(proxyPort, helloPort));
            Map<String, String> p = new LinkedHashMap<>();
            p.put("server.port", Integer.toString(publicPort));
            p.put("server.address", "127.0.0.1");
            p.put("server.ssl.certificate", pki.server().certificatePem().toString());
            p.put("server.ssl.certificate-private-key", pki.server().keyPem().toString());
            p.put("management.server.port", Integer.toString(management));
            p.put("management.server.address", "127.0.0.1");
            p.put("gatehouse.config", config.toString());
            p.put("gatehouse.issuer", ISSUER);
            p.put("gatehouse.signing.keys[0].kid", "proxied-1");
            p.put("gatehouse.signing.keys[0].path", pki.writeSigningKeyPem("signing").toString());
            p.put("gatehouse.device-ca", pki.caPem().toString());
            p.put("gatehouse.oidc.issuer-uri", issuer.issuer());
            p.put("gatehouse.oidc.client-id", CLIENT_ID);
            p.put("gatehouse.oidc.client-secret", CLIENT_SECRET);
            p.put("gatehouse.bearer.issuers[0].issuer-uri", issuer.issuer());
            p.put("gatehouse.bearer.issuers[0].audiences[0]", TestIssuer.AUDIENCE);
            p.put("gatehouse.inventory.url", inventory.base());
            p.put("gatehouse.inventory.token-uri", inventory.base() + "/token");
            p.put("gatehouse.inventory.client-id", "gateway");
            p.put("gatehouse.inventory.client-secret", "secret");
            // The decision service: its own port on loopback, TLS with the listener's certificate, one trusted caller.
            p.put("gatehouse.authz.http.port", Integer.toString(authzPort));
            p.put("gatehouse.authz.address", "127.0.0.1");
            p.put("gatehouse.authz.callers[0].cidrs[0]", TRUSTED_CALLER + "/32");
            p.put("spring.main.banner-mode", "off");
            List<String> args = new ArrayList<>();
            p.forEach((k, v) -> args.add("--" + k + "=" + v));
            gateway = ServiceProcess.launch("gateway", root.resolve("gateway/target/gatehouse-gateway-0.1.0-SNAPSHOT.jar"),
                    dir.resolve("gateway"), List.of("-Xmx256m"), args,
                    URI.create("http://127.0.0.1:" + management + "/actuator/health/readiness"));
            gateway.awaitReady();
            hello.awaitReady();
            return new ProxiedStack(dir, pki, device, unknownDevice, issuer, inventory, hello, gateway, ports);
        } catch (IOException | RuntimeException e) {
            try (var i = issuer; var s = inventory; var h = hello; var g = gateway) {
                throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
            }
        }
    }

    static String routes(int proxyPort, int helloPort) {
        return """
                routes:
                  - id: hello
                    from: https://%1$s:%2$d
                    to: http://127.0.0.1:%3$d
                    policy:
                      allow:
                        - name: finance-on-known-devices
                          groups: [finance]
                          device: { known: true, trust: high }
                          paths: ["/reports/**"]
                        - name: employees
                          domains: [corp.example]
                          paths: ["/", "/whoami.json"]
                """.formatted(HOST, proxyPort, helloPort);
    }

    String origin() {
        return "https://" + HOST + ":" + proxyPort;
    }

    /** A bearer token of the issuer: pat, corp.example, the groups given. */
    String token(String... groups) {
        return issuer.rs256(claims -> claims.subject("u-pat").claim("email", "pat@corp.example")
                .claim("groups", List.of(groups)));
    }

    /** The gateway's output: startup and the decision log. */
    String gatewayLog() {
        return gateway.output();
    }

    private static Path trustStore(DevPki pki, Path file) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("proxied-ca", pki.caCertificate());
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, DevPki.PASSWORD.toCharArray());
            }
            return file;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Override
    public void close() {
        try (var i = issuer; var s = inventory; var h = helloApp; var g = gateway) {
            // closed in reverse order: gateway, hello-app, inventory, issuer
        }
    }
}
