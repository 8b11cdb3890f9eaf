package io.gatehouse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.testsupport.Processes;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Real Keycloak, started through the project's launcher ({@code scripts/lib/keycloak}) from the distribution on
 * Maven Central, with {@code demo/keycloak/gatehouse-realm.json} imported fresh (reset first) and the test CA in its
 * trust store, on a free loopback port. Also the few admin API calls the journeys need.
 */
final class KeycloakServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path root;
    private final Path data;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private KeycloakServer(Path root, Path data, int port) {
        this.root = root;
        this.data = data;
        this.port = port;
    }

    static KeycloakServer start(Path root, Path data, Path caPem) {
        int port = freePortPair();
        Path script = root.resolve("scripts/lib/keycloak");
        Path log = data.resolveSibling("keycloak-launcher.log");
        Processes.run(root, log, Duration.ofSeconds(60), List.of(script.toString(), "reset", data.toString()), Map.of());
        KeycloakServer server = new KeycloakServer(root, data, port);
        // The truststore lets Keycloak call the gateway's back-channel logout endpoint over HTTPS.
        Processes.run(root, log, Duration.ofSeconds(400), List.of(script.toString(), "start", data.toString(),
                Integer.toString(port), root.resolve("demo/keycloak/gatehouse-realm.json").toString()),
                Map.of("KC_TRUSTSTORE_PATHS", caPem.toString(), "KEYCLOAK_START_TIMEOUT", "360"));
        return server;
    }

    /** A port p with p+1000 (Keycloak's management port) free too. */
    private static int freePortPair() {
        for (int i = 0; i < 50; i++) {
            int port = Processes.freePort();
            if (port + 1000 < 65536 && Processes.isFree(port + 1000)) {
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port pair for Keycloak");
    }

    String issuer() {
        return "http://127.0.0.1:" + port + "/realms/gatehouse";
    }

    String origin() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** Adds an enabled user with a verified email, a password and one group, as an admin would. */
    void createUser(String username, String email, String group, String password) throws IOException, InterruptedException {
        String token = adminToken();
        String user = JSON.createObjectNode().put("username", username).put("email", email).put("emailVerified", true)
                .put("enabled", true).put("firstName", username).put("lastName", "E2e")
                .set("credentials", JSON.createArrayNode().add(JSON.createObjectNode().put("type", "password")
                        .put("value", password).put("temporary", false))).toString();
        send(HttpRequest.newBuilder(URI.create(origin() + "/admin/realms/gatehouse/users"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(user)).build(), 201);
        send(HttpRequest.newBuilder(URI.create(origin() + "/admin/realms/gatehouse/users/" + userId(token, username)
                        + "/groups/" + groupId(token, group)))
                .header("Authorization", "Bearer " + token).PUT(HttpRequest.BodyPublishers.noBody()).build(), 204);
    }

    /** An access token for {@code username} from the password grant of {@code clientId}, as an API client gets one. */
    String passwordGrant(String clientId, String secret, String username, String password)
            throws IOException, InterruptedException {
        return passwordGrantTokens(clientId, secret, username, password).get("access_token").asText();
    }

    /** The whole token response of the password grant: access_token, id_token (scope openid), refresh_token. */
    JsonNode passwordGrantTokens(String clientId, String secret, String username, String password)
            throws IOException, InterruptedException {
        String form = "grant_type=password&client_id=" + enc(clientId) + "&client_secret=" + enc(secret)
                + "&username=" + enc(username) + "&password=" + enc(password) + "&scope=openid";
        String body = send(HttpRequest.newBuilder(URI.create(issuer() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), 200);
        return JSON.readTree(body);
    }

    /** An access token from the client-credentials grant of a service-account client. */
    String clientCredentials(String clientId, String secret) throws IOException, InterruptedException {
        String form = "grant_type=client_credentials&client_id=" + enc(clientId) + "&client_secret=" + enc(secret);
        String body = send(HttpRequest.newBuilder(URI.create(issuer() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), 200);
        return JSON.readTree(body).get("access_token").asText();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Ends every Keycloak session of {@code username}, as an admin would; Keycloak sends back-channel logouts. */
    void logoutUser(String username) throws IOException, InterruptedException {
        String token = adminToken();
        JsonNode users = JSON.readTree(send(HttpRequest.newBuilder(URI.create(origin()
                + "/admin/realms/gatehouse/users?exact=true&username=" + username))
                .header("Authorization", "Bearer " + token).GET().build(), 200));
        String id = users.get(0).get("id").asText();
        send(HttpRequest.newBuilder(URI.create(origin() + "/admin/realms/gatehouse/users/" + id + "/logout"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(), 204);
    }

    /** Takes {@code username} out of {@code group}, as an admin would. */
    void removeFromGroup(String username, String group) throws IOException, InterruptedException {
        String token = adminToken();
        String userId = userId(token, username);
        String groupId = groupId(token, group);
        send(HttpRequest.newBuilder(URI.create(origin() + "/admin/realms/gatehouse/users/" + userId + "/groups/" + groupId))
                .header("Authorization", "Bearer " + token).DELETE().build(), 204);
    }

    /** Disables {@code username}: the IdP refuses its refresh tokens from now on. */
    void disable(String username) throws IOException, InterruptedException {
        String token = adminToken();
        String userId = userId(token, username);
        send(HttpRequest.newBuilder(URI.create(origin() + "/admin/realms/gatehouse/users/" + userId))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"enabled\": false}")).build(), 204);
    }

    private String userId(String token, String username) throws IOException, InterruptedException {
        JsonNode users = JSON.readTree(send(HttpRequest.newBuilder(URI.create(origin()
                + "/admin/realms/gatehouse/users?exact=true&username=" + username))
                .header("Authorization", "Bearer " + token).GET().build(), 200));
        return users.get(0).get("id").asText();
    }

    private String groupId(String token, String group) throws IOException, InterruptedException {
        JsonNode groups = JSON.readTree(send(HttpRequest.newBuilder(URI.create(origin()
                + "/admin/realms/gatehouse/groups?exact=true&search=" + group))
                .header("Authorization", "Bearer " + token).GET().build(), 200));
        return groups.get(0).get("id").asText();
    }

    private String adminToken() throws IOException, InterruptedException {
        String form = "grant_type=password&client_id=admin-cli&username=admin&password="
                + URLEncoder.encode("admin", StandardCharsets.UTF_8);
        String body = send(HttpRequest.newBuilder(URI.create(origin() + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), 200);
        return JSON.readTree(body).get("access_token").asText();
    }

    private String send(HttpRequest request, int expected) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    @Override
    public void close() {
        Processes.run(root, data.resolveSibling("keycloak-launcher.log"), Duration.ofSeconds(60),
                List.of(root.resolve("scripts/lib/keycloak").toString(), "stop", data.toString()), Map.of());
    }
}
