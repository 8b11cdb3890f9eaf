package io.gatehouse.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code docker-compose.yml} is the stack {@code scripts/run} starts, for people with Docker. Nothing can run it here
 * (no Docker engine), so this test checks it two ways: Debian's {@code docker-compose config} validates it when the
 * binary is installed (its normalised output is what the checks read), otherwise SnakeYAML parses the file as is;
 * the test prints which. Then every port, image, URL, client and mount is compared with {@code demo/stack.env},
 * the one file {@code scripts/run} sources, and with the routes in {@code demo/gatehouse.yaml}.
 */
class ComposeFileTest {

    private static final Path ROOT = Kustomize.K8S.getParent();
    private static final Pattern ENV_LINE = Pattern.compile("([A-Z][A-Z0-9_]*)=([^\"'$\\s]*)");

    private static Map<String, String> env;
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    static void load() throws IOException, InterruptedException {
        env = stackEnv();
        services = services(composeModel());
    }

    @Test
    void stackEnvIsPlainKeyValueLinesThatBashAndJavaReadAlike() throws IOException {
        for (String line : Files.readAllLines(ROOT.resolve("demo/stack.env"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                assertThat(line).as("demo/stack.env line").matches(ENV_LINE);
            }
        }
        assertThat(Files.readString(ROOT.resolve("scripts/run"))).contains("source demo/stack.env");
    }

    @Test
    void composeHasTheStacksServices() {
        assertThat(services.keySet()).containsExactlyInAnyOrder(
                "net", "keycloak", "postgres", "device-inventory", "hello", "payroll", "wiki", "gateway");
    }

    @Test
    void onlyTheNamespaceOwnerPublishesPortsAndOnlyOnLoopback() {
        assertThat(ports("net")).containsExactlyInAnyOrder(
                "127.0.0.1:" + env.get("GATEWAY_PORT") + ":" + env.get("GATEWAY_PORT"),
                "127.0.0.1:" + env.get("GATEWAY_MANAGEMENT_PORT") + ":" + env.get("GATEWAY_MANAGEMENT_PORT"),
                "127.0.0.1:" + env.get("KEYCLOAK_PORT") + ":" + env.get("KEYCLOAK_PORT"),
                "127.0.0.1:" + env.get("INVENTORY_PORT") + ":" + env.get("INVENTORY_PORT"),
                "127.0.0.1:" + env.get("INVENTORY_MANAGEMENT_PORT") + ":" + env.get("INVENTORY_MANAGEMENT_PORT"));
        services.forEach((name, service) -> {
            if (!name.equals("net")) {
                assertThat(service.get("network_mode")).as(name + " network_mode").isEqualTo("service:net");
                assertThat(service).as(name + " publishes nothing itself").doesNotContainKey("ports");
                assertThat(service).as(name + " has a healthcheck").containsKey("healthcheck");
            }
        });
    }

    @Test
    void keycloakIsTheDistributionVersionWithTheDemoRealm() {
        assertThat(service("keycloak").get("image")).isEqualTo("quay.io/keycloak/keycloak:" + env.get("KEYCLOAK_VERSION"));
        assertThat(strings(service("keycloak").get("command"))).contains(
                "start-dev", "--import-realm", "--http-port=" + env.get("KEYCLOAK_PORT"),
                "--http-management-port=" + env.get("KEYCLOAK_MANAGEMENT_PORT"));
        assertThat(environment("keycloak")).containsEntry("KC_BOOTSTRAP_ADMIN_USERNAME", env.get("KEYCLOAK_ADMIN_USER"))
                .containsEntry("KC_BOOTSTRAP_ADMIN_PASSWORD", env.get("KEYCLOAK_ADMIN_PASSWORD"));
        assertThat(volumes("keycloak")).contains(
                "demo/keycloak/gatehouse-realm.json:/opt/keycloak/data/import/gatehouse-realm.json:ro");
        assertThat(env.get("KEYCLOAK_ISSUER"))
                .isEqualTo("http://127.0.0.1:" + env.get("KEYCLOAK_PORT") + "/realms/" + env.get("KEYCLOAK_REALM"));
    }

    /**
     * Issue 16, item 3: the bearer audience is an API audience that the realm's audience mapper adds to access tokens
     * only; were it the login client id, every ID token of that client (its aud) would pass the audience check.
     */
    @Test
    @SuppressWarnings("unchecked")
    void bearerAudienceIsAnApiAudienceOnlyAccessTokensCarry() throws IOException {
        assertThat(env.get("API_AUDIENCE")).isNotBlank().isNotEqualTo(env.get("GATEWAY_CLIENT_ID"));
        Map<String, Object> realm = new Yaml().load(Files.readString(
                ROOT.resolve("demo/keycloak/gatehouse-realm.json")));
        List<Map<String, Object>> clients = (List<Map<String, Object>>) realm.get("clients");
        assertThat(clients).extracting(c -> c.get("clientId")).doesNotContain(env.get("API_AUDIENCE"));
        Map<String, Object> gateway = clients.stream().filter(c -> env.get("GATEWAY_CLIENT_ID").equals(c.get("clientId")))
                .findFirst().orElseThrow();
        List<Map<String, Object>> audienceMappers = ((List<Map<String, Object>>) gateway.get("protocolMappers")).stream()
                .filter(m -> "oidc-audience-mapper".equals(m.get("protocolMapper"))).toList();
        assertThat(audienceMappers).hasSize(1);
        assertThat((Map<String, Object>) audienceMappers.get(0).get("config"))
                .containsEntry("included.custom.audience", env.get("API_AUDIENCE"))
                .containsEntry("access.token.claim", "true")
                .containsEntry("id.token.claim", "false")
                .doesNotContainKey("included.client.audience");
        assertThat(Files.readString(ROOT.resolve("scripts/run")))
                .contains("--gatehouse.bearer.issuers[0].audiences[0]=\"$API_AUDIENCE\"");
        assertThat(Files.readString(ROOT.resolve("demo/keycloak/setup"))).contains("API_AUDIENCE");
    }

    @Test
    void ourImagesAreBuiltFromTheModulesJars() {
        Map<String, String> jarDirs = Map.of("device-inventory", "device-inventory/target/",
                "hello", "examples/hello-app/target/", "payroll", "examples/hello-app/target/",
                "wiki", "examples/hello-app/target/", "gateway", "gateway/target/");
        jarDirs.forEach((name, dir) -> {
            assertThat((String) service(name).get("image")).as(name + " image").startsWith("ghcr.io/gatehouse/");
            Map<String, Object> build = map(service(name).get("build"));
            assertThat(build.get("dockerfile")).isEqualTo("demo/docker/Dockerfile");
            assertThat(relative(String.valueOf(build.get("context")))).as(name + " build context").isIn("", ".");
            assertThat(String.valueOf(map(build.get("args")).get("JAR"))).startsWith(dir).endsWith(".jar");
        });
        assertThat(Files.isRegularFile(ROOT.resolve("demo/docker/Dockerfile"))).isTrue();
    }

    @Test
    void inventoryUsesTheStacksPostgresAndIssuer() {
        assertThat(strings(service("postgres").get("command"))).containsSubsequence("-p", env.get("INVENTORY_DB_PORT"));
        assertThat(environment("postgres")).containsEntry("POSTGRES_DB", env.get("INVENTORY_DB_NAME"))
                .containsEntry("POSTGRES_USER", env.get("INVENTORY_DB_USER"))
                .containsEntry("POSTGRES_PASSWORD", env.get("INVENTORY_DB_PASSWORD"));
        assertThat(environment("device-inventory"))
                .containsEntry("SERVER_PORT", env.get("INVENTORY_PORT"))
                .containsEntry("MANAGEMENT_SERVER_PORT", env.get("INVENTORY_MANAGEMENT_PORT"))
                .containsEntry("SPRING_DATASOURCE_URL",
                        "jdbc:postgresql://127.0.0.1:" + env.get("INVENTORY_DB_PORT") + "/" + env.get("INVENTORY_DB_NAME"))
                .containsEntry("SPRING_DATASOURCE_USERNAME", env.get("INVENTORY_DB_USER"))
                .containsEntry("SPRING_DATASOURCE_PASSWORD", env.get("INVENTORY_DB_PASSWORD"))
                .containsEntry("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI", env.get("KEYCLOAK_ISSUER"));
    }

    @Test
    void eachHelloAppVerifiesAssertionsForItsOwnHost() {
        for (String app : List.of("hello", "payroll", "wiki")) {
            String port = env.get(app.toUpperCase(java.util.Locale.ROOT) + "_PORT");
            assertThat(environment(app)).as(app)
                    .containsEntry("SERVER_PORT", port)
                    .containsEntry("GATEHOUSE_VERIFIER_ISSUER", env.get("GATEWAY_ISSUER"))
                    .containsEntry("GATEHOUSE_VERIFIER_AUDIENCE", app)
                    .containsEntry("GATEHOUSE_VERIFIER_PUBLICHOST", app + ".localhost:" + env.get("GATEWAY_PORT"));
            assertThat(environment(app).get("JAVA_TOOL_OPTIONS"))
                    .contains("-Djavax.net.ssl.trustStorePassword=" + env.get("PKI_PASSWORD"));
            assertThat(volumes(app)).contains(".demo/pki/truststore.p12:/pki/truststore.p12:ro");
        }
    }

    @Test
    void gatewayHasTheSameSettingsAsTheLocalRun() {
        String issuer = env.get("KEYCLOAK_ISSUER");
        String kid = env.get("SIGNING_KEY_ID");
        assertThat(environment("gateway"))
                .containsEntry("SERVER_PORT", env.get("GATEWAY_PORT"))
                .containsEntry("MANAGEMENT_SERVER_PORT", env.get("GATEWAY_MANAGEMENT_PORT"))
                .containsEntry("GATEHOUSE_ISSUER", env.get("GATEWAY_ISSUER"))
                .containsEntry("GATEHOUSE_CONFIG", "/etc/gatehouse/demo/gatehouse.yaml")
                .containsEntry("GATEHOUSE_DEVICECA", "/pki/device-ca.crt")
                .containsEntry("SERVER_SSL_CERTIFICATE", "/pki/server.crt")
                .containsEntry("SERVER_SSL_CERTIFICATEPRIVATEKEY", "/pki/server.key")
                .containsEntry("GATEHOUSE_SIGNING_KEYS_0_KID", kid)
                .containsEntry("GATEHOUSE_SIGNING_KEYS_0_PATH", "/pki/signing/" + kid + ".pem")
                .containsEntry("GATEHOUSE_OIDC_ISSUERURI", issuer)
                .containsEntry("GATEHOUSE_OIDC_CLIENTID", env.get("GATEWAY_CLIENT_ID"))
                .containsEntry("GATEHOUSE_OIDC_CLIENTSECRET", env.get("GATEWAY_CLIENT_SECRET"))
                .containsEntry("GATEHOUSE_BEARER_ISSUERS_0_ISSUERURI", issuer)
                .containsEntry("GATEHOUSE_BEARER_ISSUERS_0_AUDIENCES_0", env.get("API_AUDIENCE"))
                .containsEntry("GATEHOUSE_INVENTORY_URL", "http://127.0.0.1:" + env.get("INVENTORY_PORT"))
                .containsEntry("GATEHOUSE_INVENTORY_TOKENURI", issuer + "/protocol/openid-connect/token")
                .containsEntry("GATEHOUSE_INVENTORY_CLIENTID", env.get("POSTURE_CLIENT_ID"))
                .containsEntry("GATEHOUSE_INVENTORY_CLIENTSECRET", env.get("POSTURE_CLIENT_SECRET"));
        assertThat(volumes("gateway")).contains("demo:/etc/gatehouse/demo:ro", ".demo/pki:/pki:ro");
    }

    @Test
    void demoRoutesUseTheGatewayPortAndTheHelloAppPorts() throws IOException {
        Map<String, Object> config = map(new Yaml().load(Files.readString(ROOT.resolve("demo/gatehouse.yaml"))));
        List<Object> routes = list(config.get("routes"));
        assertThat(routes).isNotEmpty();
        for (Object r : routes) {
            Map<String, Object> route = map(r);
            String audience = String.valueOf(route.getOrDefault("audience", route.get("id")));
            URI from = URI.create(String.valueOf(route.get("from")));
            URI to = URI.create(String.valueOf(route.get("to")));
            assertThat(from.getPort()).as(route.get("id") + " from").hasToString(env.get("GATEWAY_PORT"));
            assertThat(from.getHost()).as(route.get("id") + " host").isEqualTo(audience + ".localhost");
            assertThat(to.getHost()).isEqualTo("127.0.0.1");
            assertThat(String.valueOf(to.getPort())).as(route.get("id") + " upstream")
                    .isEqualTo(env.get(audience.toUpperCase(java.util.Locale.ROOT) + "_PORT"));
        }
    }

    // ---- reading ----------------------------------------------------------------------------------------------

    private static Map<String, String> stackEnv() throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(ROOT.resolve("demo/stack.env"))) {
            Matcher m = ENV_LINE.matcher(line);
            if (m.matches()) {
                values.put(m.group(1), m.group(2));
            }
        }
        return values;
    }

    /** {@code docker-compose config} output when the binary is there (it validates as well), else the file. */
    private static Object composeModel() throws IOException, InterruptedException {
        Path file = ROOT.resolve("docker-compose.yml");
        if (onPath("docker-compose")) {
            Process p = new ProcessBuilder("docker-compose", "-f", file.toString(), "config")
                    .directory(ROOT.toFile()).start();
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("docker-compose config finished").isTrue();
            assertThat(p.exitValue()).as("docker-compose config: " + err).isZero();
            System.out.println("ComposeFileTest: docker-compose.yml validated by `docker-compose config`; checking its output");
            return new Yaml().load(new String(out, StandardCharsets.UTF_8));
        }
        System.out.println("ComposeFileTest: docker-compose is not installed (apt-get install -y docker-compose);"
                + " docker-compose.yml parsed with SnakeYAML only, not validated by Compose");
        return new Yaml().load(Files.readString(file));
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Map<String, Object>> services(Object model) {
        Map<String, Map<String, Object>> result = new LinkedHashMap<>();
        map(map(model).get("services")).forEach((name, service) -> result.put(name, map(service)));
        return result;
    }

    private static Map<String, Object> service(String name) {
        assertThat(services).containsKey(name);
        return services.get(name);
    }

    private static Map<String, String> environment(String name) {
        Object value = service(name).get("environment");
        Map<String, String> result = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> result.put(String.valueOf(k), String.valueOf(v)));
        } else {
            for (String item : strings(value)) {   // list form: KEY=value
                int eq = item.indexOf('=');
                result.put(item.substring(0, eq), item.substring(eq + 1));
            }
        }
        return result;
    }

    /** Short syntax, host path relative to the repository (Compose config makes it absolute). */
    private static List<String> volumes(String name) {
        List<String> result = new ArrayList<>();
        for (String v : strings(service(name).get("volumes"))) {
            result.add(relative(v));
        }
        return result;
    }

    /** {@code ip:published:target}, whatever the syntax ({@code /tcp} as Compose config writes it dropped). */
    private static Set<String> ports(String name) {
        Set<String> result = new java.util.HashSet<>();
        for (Object p : list(service(name).get("ports"))) {
            if (p instanceof Map<?, ?> m) {
                result.add(m.get("host_ip") + ":" + m.get("published") + ":" + m.get("target"));
            } else {
                result.add(String.valueOf(p).replaceFirst("/tcp$", ""));
            }
        }
        return result;
    }

    private static String relative(String path) {
        String root = ROOT.toString();
        if (path.equals(root)) {
            return "";
        }
        if (path.startsWith(root + "/")) {
            return path.substring(root.length() + 1);
        }
        return path.startsWith("./") ? path.substring(2) : path;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Object>) value;
    }

    private static List<String> strings(Object value) {
        List<String> result = new ArrayList<>();
        for (Object o : list(value)) {
            result.add(String.valueOf(o));
        }
        return result;
    }
}
