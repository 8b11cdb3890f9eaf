package io.gatehouse.e2e;

import io.gatehouse.testsupport.EchoUpstream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The stack every journey runs against, started ONCE per test JVM (Keycloak alone takes half a minute on two busy
 * cores) and stopped when JUnit ends: test PKI, Keycloak with the repo's realm, the echo upstream, and the
 * packaged gateway on {@code https://app.localhost:28443} and {@code https://localhost:28443}. Use it with
 * {@code @ExtendWith(Stack.class)} and {@link #get()}.
 */
public final class Stack implements BeforeAllCallback {

    static final int PORT = 28443;
    static final String APP = "https://app.localhost:" + PORT;
    static final String PORTAL = "https://localhost:" + PORT;

    private static Stack instance;

    final Path root;
    final Path dir;
    final Path jar;
    final Pki pki;
    final KeycloakServer keycloak;
    final EchoUpstream upstream;
    final GatewayProcess gateway;

    public Stack() {
        this.root = null;
        this.dir = null;
        this.jar = null;
        this.pki = null;
        this.keycloak = null;
        this.upstream = null;
        this.gateway = null;
    }

    private Stack(Path root, Path dir, Path jar, Pki pki, KeycloakServer keycloak, EchoUpstream upstream,
                  GatewayProcess gateway) {
        this.root = root;
        this.dir = dir;
        this.jar = jar;
        this.pki = pki;
        this.keycloak = keycloak;
        this.upstream = upstream;
        this.gateway = gateway;
    }

    static synchronized Stack get() {
        if (instance == null) {
            throw new IllegalStateException("the stack is not started: annotate the test with @ExtendWith(Stack.class)");
        }
        return instance;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (Stack.class) {
            if (instance == null) {
                Browsers.requireChromium();
                instance = start();
                context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                        .put(Stack.class.getName(), (ExtensionContext.Store.CloseableResource) Stack::stop);
            }
        }
    }

    static String gatehouseYaml(java.net.URI upstream, int port) {
        return """
                routes:
                  - id: payroll
                    from: https://app.localhost:%2$d
                    to: %1$s
                    policy:
                      allow:
                        - name: finance
                          groups: [finance]
                  - id: payroll-recent
                    from: https://app.localhost:%2$d/recent
                    to: %1$s
                    policy:
                      allow:
                        - name: finance-recent-login
                          groups: [finance]
                          max_auth_age: 20s
                  - id: ops
                    from: https://app.localhost:%2$d/ops
                    to: %1$s
                    policy:
                      allow:
                        - name: sre
                          groups: [sre]
                  - id: wiki
                    from: https://app.localhost:%2$d/wiki
                    to: %1$s
                    policy:
                      allow:
                        - name: signed-in
                          authenticated: true
                  - id: portal
                    from: https://localhost:%2$d
                    to: %1$s
                    policy:
                      allow:
                        - name: signed-in
                          authenticated: true
                """.formatted(upstream, port);
    }

    private static Stack start() {
        Path root = Path.of(System.getProperty("gatehouse.root", "..")).toAbsolutePath().normalize();
        Path jar = Path.of(System.getProperty("gatehouse.gateway.jar",
                root.resolve("gateway/target/gatehouse-gateway-0.1.0-SNAPSHOT.jar").toString()));
        try {
            Path dir = Files.createDirectories(root.resolve("e2e/target/e2e-stack"));
            Pki pki = Pki.create(dir.resolve("pki"));
            KeycloakServer keycloak = KeycloakServer.start(root, dir.resolve("keycloak"), pki.caPem());
            EchoUpstream upstream = EchoUpstream.start().prettyJson();
            GatewayProcess gateway;
            try {
                gateway = GatewayProcess.start(jar, dir.resolve("gateway-a"), PORT, pki,
                        gatehouseYaml(upstream.uri(), PORT), keycloak, Map.of());
            } catch (RuntimeException e) {
                upstream.close();
                keycloak.close();
                throw e;
            }
            return new Stack(root, dir, jar, pki, keycloak, upstream, gateway);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized void stop() {
        if (instance != null) {
            try (var k = instance.keycloak; var u = instance.upstream; var g = instance.gateway) {
                // closed in reverse order: gateway, upstream, Keycloak
            }
            instance = null;
        }
    }
}
