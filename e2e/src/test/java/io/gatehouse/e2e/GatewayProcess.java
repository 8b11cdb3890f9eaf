package io.gatehouse.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The packaged gateway ({@code gateway/target/gatehouse-gateway-*.jar}) run as its own process, as it is deployed:
 * HTTPS on a fixed loopback port (Keycloak's client registers its callback there), management on a free port,
 * browser login against Keycloak. Its stdout (the decision log included) goes to a file the tests can read.
 */
final class GatewayProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final int managementPort;
    private final Path log;
    private final Path config;

    private GatewayProcess(Process process, int port, int managementPort, Path log, Path config) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
        this.config = config;
    }

    static GatewayProcess start(Path jar, Path dir, int port, Pki pki, String gatehouseYaml, KeycloakServer keycloak,
                                Map<String, String> extra) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no gateway jar at " + jar + ": build the reactor (the e2e module comes last)");
        }
        if (!Processes.isFree(port)) {
            throw new IllegalStateException("port " + port + " is taken; the e2e gateway needs it (Keycloak's client"
                    + " gatehouse-e2e registers its callback there)");
        }
        try {
            Files.createDirectories(dir);
            // Run a private copy: a rebuild of gateway/target while the suite runs must not pull classes from
            // under the running JVM.
            Path copy = dir.resolve("gatehouse-gateway.jar");
            Files.copy(jar, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Path config = dir.resolve("gatehouse.yaml");
            Files.writeString(config, gatehouseYaml);
            int management = Processes.freePort();
            // Spring reads a property given twice as a list, so `extra` replaces a default instead of adding to it.
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("server.port", Integer.toString(port));
            properties.put("server.address", "127.0.0.1");
            properties.put("server.ssl.certificate", pki.serverPem().toString());
            properties.put("server.ssl.certificate-private-key", pki.serverKey().toString());
            properties.put("management.server.port", Integer.toString(management));
            properties.put("management.server.address", "127.0.0.1");
            properties.put("gatehouse.config", config.toString());
            properties.put("gatehouse.issuer", "https://gatehouse.e2e");
            properties.put("gatehouse.signing.keys[0].kid", "e2e-1");
            properties.put("gatehouse.signing.keys[0].path", pki.signingKey().toString());
            properties.put("gatehouse.oidc.issuer-uri", keycloak.issuer());
            properties.put("gatehouse.oidc.client-id", "gatehouse-e2e");
            properties.put("gatehouse.oidc.client-secret", "gateway-e2e-secret");
            properties.put("spring.main.banner-mode", "off");
            properties.putAll(extra);
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", copy.toString()));
            properties.forEach((k, v) -> command.add("--" + k + "=" + v));
            Path log = dir.resolve("gateway.log");
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            GatewayProcess gateway = new GatewayProcess(process, port, management, log, config);
            gateway.awaitReady();
            return gateway;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                + "/actuator/health/readiness")).timeout(Duration.ofSeconds(2)).build();
        try {
            Awaitility.await("gateway on port " + port + " ready").atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("the gateway exited " + process.exitValue() + ":\n" + Processes.tail(log));
                        }
                        return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    });
        } catch (RuntimeException e) {
            close();
            throw new IllegalStateException("gateway did not become ready; last lines of " + log + ":\n" + Processes.tail(log), e);
        }
    }

    /** The routes file the gateway watches; a test may rewrite it (hot reload). */
    Path config() {
        return config;
    }

    int port() {
        return port;
    }

    /** The gateway's output so far (startup log and decision-log lines). */
    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
