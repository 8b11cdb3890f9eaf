package io.gatehouse.e2e;

import io.gatehouse.testsupport.Processes;
import io.gatehouse.testsupport.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged gateway ({@code gateway/target/gatehouse-gateway-*.jar}) run as its own process, as it is deployed:
 * HTTPS on a fixed loopback port (Keycloak's client registers its callback there), management on a free port,
 * browser login against Keycloak. Its stdout (the decision log included) goes to a file the tests can read.
 */
final class GatewayProcess implements AutoCloseable {

    private final ServiceProcess process;
    private final int port;
    private final Path config;

    private GatewayProcess(ServiceProcess process, int port, Path config) {
        this.process = process;
        this.port = port;
        this.config = config;
    }

    static GatewayProcess start(Path jar, Path dir, int port, Pki pki, String gatehouseYaml, KeycloakServer keycloak,
                                Map<String, String> extra) {
        if (!Processes.isFree(port)) {
            throw new IllegalStateException("port " + port + " is taken; the e2e gateway needs it (Keycloak's client"
                    + " gatehouse-e2e registers its callback there)");
        }
        try {
            Files.createDirectories(dir);
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
            List<String> args = new ArrayList<>();
            properties.forEach((k, v) -> args.add("--" + k + "=" + v));
            // The shared launcher runs a private copy of the jar (a rebuild of gateway/target while the suite runs
            // must not pull classes from under the running JVM) and writes its output to dir/gateway.log.
            ServiceProcess process = ServiceProcess.launch("gateway", jar, dir, List.of("-Xmx256m"), args,
                    URI.create("http://127.0.0.1:" + management + "/actuator/health/readiness"));
            process.awaitReady();
            return new GatewayProcess(process, port, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
        return process.output();
    }

    @Override
    public void close() {
        process.close();
    }
}
