package io.gatehouse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.testsupport.DecisionLogSchema;
import io.gatehouse.testsupport.Processes;
import io.gatehouse.testsupport.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole demo stack, as {@code scripts/run} starts it but on its own ports and state, started ONCE per test JVM:
 * <ol>
 *   <li>the PKI from {@code scripts/lib/pki} (CA, server certificate, device CA, one certificate per device, signing key);</li>
 *   <li>the {@link Stack}'s Keycloak (one per suite: it takes half a minute), set up by {@code demo/keycloak/setup};</li>
 *   <li>device-inventory on embedded PostgreSQL, seeded by {@code demo/inventory/seed} plus the journeys' own devices;</li>
 *   <li>hello-app for payroll, verifying the assertion with the verifier library;</li>
 *   <li>the packaged gateway on {@code https://*.localhost:28446} with {@code demo/gatehouse.yaml} (ports rewritten),
 *       the device CA, bearer tokens from Keycloak and the inventory for posture.</li>
 * </ol>
 * The settings the shell scripts read are {@code demo/stack.env} with the ports replaced, written to
 * {@code e2e/target/whole-stack/stack.env} and handed over as {@code GATEHOUSE_STACK_ENV}; so a developer's running
 * demo (ports from demo/stack.env, state in .demo/) is never touched. The gateway's posture cache is off
 * ({@code cache-ttl: 0s}) so "the very next request" after a quarantine is literal; the cache's own behaviour is
 * the gateway's integration tests' business.
 */
public final class WholeStack implements BeforeAllCallback {

    static final int PORT = 28446;
    static final String PAYROLL = "https://payroll.localhost:" + PORT;
    private static final List<String> SEEDED = List.of("pat-laptop", "sam-laptop", "lost-laptop");
    private static final List<String> OWN = List.of("pat-old-laptop", "pat-tablet", "kim-laptop", "pat-ws-laptop");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static WholeStack instance;

    final Path root;
    final Path dir;
    final Map<String, String> settings;
    final KeycloakServer keycloak;
    final DeviceCertificates devices;
    final ServiceProcess inventory;
    final InventoryApi inventoryApi;
    final ServiceProcess payroll;
    final GatewayProcess gateway;
    final Curl curl;

    public WholeStack() {
        this(null, null, null, null, null, null, null, null, null);
    }

    private WholeStack(Path root, Path dir, Map<String, String> settings, KeycloakServer keycloak,
                       DeviceCertificates devices, ServiceProcess inventory, InventoryApi inventoryApi,
                       ServiceProcess payroll, GatewayProcess gateway) {
        this.root = root;
        this.dir = dir;
        this.settings = settings;
        this.keycloak = keycloak;
        this.devices = devices;
        this.inventory = inventory;
        this.inventoryApi = inventoryApi;
        this.payroll = payroll;
        this.gateway = gateway;
        this.curl = devices == null ? null : new Curl(devices.ca());
    }

    static synchronized WholeStack get() {
        if (instance == null) {
            throw new IllegalStateException("the whole stack is not started: annotate the test with"
                    + " @ExtendWith(WholeStack.class)");
        }
        return instance;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        new Stack().beforeAll(context);   // Keycloak comes from there
        synchronized (WholeStack.class) {
            if (instance == null) {
                instance = start(Stack.get());
                context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                        .put(WholeStack.class.getName(), (ExtensionContext.Store.CloseableResource) WholeStack::stop);
            }
        }
    }

    private static WholeStack start(Stack stack) throws Exception {
        Path root = stack.root;
        Path dir = root.resolve("e2e/target/whole-stack");
        deleteRecursively(dir);   // fresh inventory database and PKI: a quarantine from the last run must not linger
        Files.createDirectories(dir);
        Map<String, String> env = settings(root, stack.keycloak);
        Path envFile = dir.resolve("stack.env");
        StringBuilder text = new StringBuilder("# demo/stack.env with the end-to-end ports (WholeStack)\n");
        env.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(envFile, text);
        Map<String, String> scriptEnv = Map.of("GATEHOUSE_STACK_ENV", envFile.toString());
        Path log = dir.resolve("scripts.log");

        Path pkiDir = dir.resolve("pki");
        List<String> pkiCommand = new ArrayList<>(List.of(root.resolve("scripts/lib/pki").toString(), pkiDir.toString(),
                env.get("PKI_PASSWORD"), env.get("SIGNING_KEY_ID")));
        pkiCommand.addAll(SEEDED);
        pkiCommand.addAll(OWN);
        Processes.run(root, log, Duration.ofSeconds(60), pkiCommand, Map.of());
        DeviceCertificates devices = new DeviceCertificates(pkiDir, env.get("PKI_PASSWORD"));
        Processes.run(root, log, Duration.ofSeconds(120), List.of(root.resolve("demo/keycloak/setup").toString()), scriptEnv);

        ServiceProcess inventory = null;
        ServiceProcess payroll = null;
        CompletableFuture<GatewayProcess> gateway = null;
        try {
            inventory = launchInventory(root, dir, env);
            payroll = launchPayroll(root, dir, env, pkiDir);
            Pki pki = new Pki(pkiDir.resolve("ca.crt"), pkiDir.resolve("server.crt"), pkiDir.resolve("server.key"),
                    pkiDir.resolve("signing/" + env.get("SIGNING_KEY_ID") + ".pem"));
            String routes = routes(Files.readString(root.resolve("demo/gatehouse.yaml")), env);
            gateway = CompletableFuture.supplyAsync(() -> GatewayProcess.start(
                    stack.jar, dir.resolve("gateway"), PORT, pki, routes, stack.keycloak, gatewayProperties(env, pkiDir)));

            inventory.awaitReady();
            Processes.run(root, log, Duration.ofSeconds(60), List.of(root.resolve("demo/inventory/seed").toString(),
                    pkiDir.toString()), scriptEnv);
            KeycloakServer keycloak = stack.keycloak;
            InventoryApi api = new InventoryApi(URI.create("http://127.0.0.1:" + env.get("INVENTORY_PORT")),
                    () -> keycloak.clientCredentials(env.get("INVENTORY_ADMIN_CLIENT_ID"),
                            env.get("INVENTORY_ADMIN_CLIENT_SECRET")));
            // The journeys' own devices, so that no journey changes a device another one relies on.
            api.enrol("pat-old-laptop", "pat@corp.example", "macOS", "15.3", devices.fingerprint("pat-old-laptop"), false);
            api.enrol("pat-tablet", "pat@corp.example", "macOS", "15.3", devices.fingerprint("pat-tablet"), true);
            api.enrol("kim-laptop", "kim@corp.example", "macOS", "15.3", devices.fingerprint("kim-laptop"), true);
            // pat's laptop for WebSocketQuarantineIT, which quarantines it while a WebSocket is open.
            api.enrol("pat-ws-laptop", "pat@corp.example", "macOS", "15.3", devices.fingerprint("pat-ws-laptop"), true);
            // kim is in finance only for the refresh journey, which takes her out of it.
            keycloak.createUser("kim", "kim@corp.example", "finance", "kim-password");

            payroll.awaitReady();
            return new WholeStack(root, dir, env, keycloak, devices, inventory, api, payroll, gateway.join());
        } catch (Exception | Error e) {
            if (gateway != null) {
                // The gateway starts on its own thread: wait for it and stop it, or it keeps its port (28446) and
                // the next run finds it taken.
                gateway.handle((started, failed) -> {
                    if (started != null) {
                        started.close();
                    }
                    return null;
                }).join();
            }
            if (payroll != null) {
                payroll.close();
            }
            if (inventory != null) {
                inventory.close();
            }
            throw e;
        }
    }

    /** demo/stack.env with every port this stack uses replaced: its own free loopback ports, Keycloak's, 28446. */
    private static Map<String, String> settings(Path root, KeycloakServer keycloak) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(root.resolve("demo/stack.env"))) {
            int eq = line.indexOf('=');
            if (!line.isBlank() && !line.startsWith("#") && eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        env.put("KEYCLOAK_PORT", Integer.toString(keycloak.port()));
        env.put("KEYCLOAK_MANAGEMENT_PORT", Integer.toString(keycloak.port() + 1000));
        env.put("KEYCLOAK_ISSUER", keycloak.issuer());
        for (String port : List.of("INVENTORY_PORT", "INVENTORY_MANAGEMENT_PORT", "INVENTORY_DB_PORT", "HELLO_PORT",
                "PAYROLL_PORT", "WIKI_PORT", "GATEWAY_MANAGEMENT_PORT")) {
            env.put(port, Integer.toString(Processes.freePort()));
        }
        env.put("GATEWAY_PORT", Integer.toString(PORT));
        env.put("GATEWAY_ISSUER", "https://localhost:" + PORT);
        return env;
    }

    /** demo/gatehouse.yaml on this stack's ports: the demo's own routes and policies are what the journeys test. */
    static String routes(String demoYaml, Map<String, String> env) {
        return demoYaml.replace("localhost:8443", "localhost:" + PORT)
                .replace("127.0.0.1:18091", "127.0.0.1:" + env.get("HELLO_PORT"))
                .replace("127.0.0.1:18092", "127.0.0.1:" + env.get("PAYROLL_PORT"))
                .replace("127.0.0.1:18093", "127.0.0.1:" + env.get("WIKI_PORT"));
    }

    private static ServiceProcess launchInventory(Path root, Path dir, Map<String, String> env) {
        return ServiceProcess.launch("device-inventory", jar("gatehouse.inventory.jar", root,
                        "device-inventory/target/device-inventory-0.1.0-SNAPSHOT.jar"), dir.resolve("inventory"),
                List.of("-Xmx256m"),
                List.of("--server.address=127.0.0.1", "--server.port=" + env.get("INVENTORY_PORT"),
                        "--management.server.address=127.0.0.1",
                        "--management.server.port=" + env.get("INVENTORY_MANAGEMENT_PORT"),
                        "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + env.get("KEYCLOAK_ISSUER"),
                        "--inventory.embedded-postgres.data-directory=" + dir.resolve("inventory/pgdata"),
                        "--inventory.embedded-postgres.port=" + env.get("INVENTORY_DB_PORT")),
                URI.create("http://127.0.0.1:" + env.get("INVENTORY_MANAGEMENT_PORT") + "/actuator/health/readiness"));
    }

    private static ServiceProcess launchPayroll(Path root, Path dir, Map<String, String> env, Path pki) {
        return ServiceProcess.launch("hello-app-payroll", jar("gatehouse.hello.jar", root,
                        "examples/hello-app/target/hello-app-0.1.0-SNAPSHOT.jar"), dir.resolve("payroll"),
                // As scripts/run: small and quick to start; the trust store lets it fetch the gateway's JWKS over TLS.
                List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                        "-Djavax.net.ssl.trustStore=" + pki.resolve("truststore.p12"),
                        "-Djavax.net.ssl.trustStoreType=PKCS12", "-Djavax.net.ssl.trustStorePassword=" + env.get("PKI_PASSWORD")),
                List.of("--server.address=127.0.0.1", "--server.port=" + env.get("PAYROLL_PORT"),
                        "--gatehouse.verifier.issuer=" + env.get("GATEWAY_ISSUER"), "--gatehouse.verifier.audience=payroll",
                        "--gatehouse.verifier.public-host=payroll.localhost:" + PORT),
                URI.create("http://127.0.0.1:" + env.get("PAYROLL_PORT") + "/actuator/health"));
    }

    /** The files {@code scripts/lib/pki} made, as a gateway reads them (for a test's own gateway on this stack). */
    Pki pki() {
        Path pki = dir.resolve("pki");
        return new Pki(pki.resolve("ca.crt"), pki.resolve("server.crt"), pki.resolve("server.key"),
                pki.resolve("signing/" + settings.get("SIGNING_KEY_ID") + ".pem"));
    }

    /** The whole-stack gateway's properties (device CA, bearer issuer, inventory), for a test's own gateway. */
    Map<String, String> gatewayProperties() {
        return gatewayProperties(settings, dir.resolve("pki"));
    }

    private static Map<String, String> gatewayProperties(Map<String, String> env, Path pki) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("gatehouse.issuer", env.get("GATEWAY_ISSUER"));
        p.put("gatehouse.signing.keys[0].kid", env.get("SIGNING_KEY_ID"));
        p.put("gatehouse.signing.keys[0].path", pki.resolve("signing/" + env.get("SIGNING_KEY_ID") + ".pem").toString());
        p.put("gatehouse.device-ca", pki.resolve("device-ca.crt").toString());
        p.put("gatehouse.bearer.issuers[0].issuer-uri", env.get("KEYCLOAK_ISSUER"));
        p.put("gatehouse.bearer.issuers[0].audiences[0]", env.get("API_AUDIENCE"));
        p.put("gatehouse.inventory.url", "http://127.0.0.1:" + env.get("INVENTORY_PORT"));
        p.put("gatehouse.inventory.token-uri", env.get("KEYCLOAK_ISSUER") + "/protocol/openid-connect/token");
        p.put("gatehouse.inventory.client-id", env.get("POSTURE_CLIENT_ID"));
        p.put("gatehouse.inventory.client-secret", env.get("POSTURE_CLIENT_SECRET"));
        p.put("gatehouse.inventory.cache-ttl", "0s");
        return p;
    }

    private static Path jar(String property, Path root, String fallback) {
        return Path.of(System.getProperty(property, root.resolve(fallback).toString()));
    }

    /** The gateway's decision-log lines so far, parsed (one JSON object per request). */
    List<JsonNode> decisions() {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : gateway.log().split("\n")) {
            if (line.startsWith("{") && line.contains("\"why\"")) {
                DecisionLogSchema.assertValid(line);
                try {
                    lines.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException("a decision-log line is not JSON: " + line, e);
                }
            }
        }
        return lines;
    }

    /** The decision-log lines of the requests sent with {@code userAgent}. */
    List<JsonNode> decisionsOf(String userAgent) {
        return decisions().stream().filter(d -> userAgent.equals(d.path("where").path("user_agent").asText())).toList();
    }

    /** A browser on {@code device}, presenting its certificate to this stack's hosts. */
    org.openqa.selenium.WebDriver browserOn(String device) {
        return Browsers.startOnDevice(devices.home(device), device, List.of(PAYROLL,
                "https://hello.localhost:" + PORT, "https://wiki.localhost:" + PORT));
    }

    /** {@code user}'s access token from the password grant of the demo's gateway client (its access tokens name API_AUDIENCE in aud). */
    String apiToken(String user) throws Exception {
        return keycloak.passwordGrant(settings.get("GATEWAY_CLIENT_ID"), settings.get("GATEWAY_CLIENT_SECRET"), user,
                user + "-password");
    }

    /** {@code user}'s ID token from the same password grant: proof of a login to the client, never an API token. */
    String idToken(String user) throws Exception {
        return keycloak.passwordGrantTokens(settings.get("GATEWAY_CLIENT_ID"), settings.get("GATEWAY_CLIENT_SECRET"),
                user, user + "-password").get("id_token").asText();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static synchronized void stop() {
        if (instance != null) {
            try (var i = instance.inventory; var p = instance.payroll; var g = instance.gateway) {
                // closed in reverse order: gateway, hello-app, inventory (Keycloak belongs to the Stack)
            }
            instance = null;
        }
    }
}
