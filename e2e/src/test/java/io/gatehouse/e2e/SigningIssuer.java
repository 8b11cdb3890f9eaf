package io.gatehouse.e2e;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * An OIDC issuer that really signs (RS256, Nimbus), for the fault suite: Keycloak takes half a minute to start, and
 * the suite must stop the IdP and start it again on the same port. A JDK HTTP server on 127.0.0.1 serving discovery,
 * {@code /jwks}, {@code /authorize} (signs the user {@code pat} in at once: 302 back to {@code redirect_uri} with a
 * code and the state) and {@code /token} (authorization code, refresh token, client credentials; clients registered
 * with {@link #client}). Client-credentials tokens name {@code device-inventory} in {@code aud}, as the inventory
 * requires.
 */
final class SigningIssuer implements AutoCloseable {

    static final String USER_SUB = "u-pat";
    private final int port;
    private final String issuer;
    private final RSAKey key;
    private final Map<String, String> clients = new ConcurrentHashMap<>();
    /** Codes handed out by /authorize, each with its nonce; single use. */
    private final Map<String, String> codes = new ConcurrentHashMap<>();
    private final ExecutorService handlers = Executors.newFixedThreadPool(4);
    private HttpServer server;

    private SigningIssuer(int port) {
        this.port = port;
        this.issuer = "http://127.0.0.1:" + port;
        try {
            this.key = new RSAKeyGenerator(2048).keyID("faults-" + UUID.randomUUID()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static SigningIssuer start(int port) {
        SigningIssuer issuer = new SigningIssuer(port);
        issuer.resume();
        return issuer;
    }

    String issuer() {
        return issuer;
    }

    SigningIssuer client(String id, String secret) {
        clients.put(id, secret);
        return this;
    }

    /** Starts serving (again) on the same port. */
    synchronized void resume() {
        if (server != null) {
            throw new IllegalStateException("the issuer is running");
        }
        try {
            HttpServer next = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            next.createContext("/.well-known/openid-configuration", this::discovery);
            next.createContext("/jwks", e -> respond(e, 200, new JWKSet(key.toPublicJWK()).toString()));
            next.createContext("/authorize", this::authorize);
            next.createContext("/token", this::token);
            next.setExecutor(handlers);
            next.start();
            server = next;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops serving: the port refuses connections (discovery, JWKS, token endpoint all gone) until {@link #resume}. */
    synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** An access token for the gateway's bearer path: pat, group finance, {@code aud}, valid for an hour. */
    String accessToken(String audience) {
        return sign(claims -> claims.audience(audience));
    }

    private String sign(Consumer<JWTClaimsSet.Builder> edit) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer).subject(USER_SUB)
                .claim("email", "pat@corp.example").claim("email_verified", true).claim("groups", List.of("finance"))
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)))
                .jwtID(UUID.randomUUID().toString());
        edit.accept(claims);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims.build());
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private void discovery(HttpExchange exchange) throws IOException {
        respond(exchange, 200, "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/jwks\","
                + "\"authorization_endpoint\":\"" + issuer + "/authorize\",\"token_endpoint\":\"" + issuer + "/token\","
                + "\"end_session_endpoint\":\"" + issuer + "/logout\","
                + "\"id_token_signing_alg_values_supported\":[\"RS256\"],"
                + "\"subject_types_supported\":[\"public\"],\"response_types_supported\":[\"code\"]}");
    }

    /** The user signs in at once: 302 to {@code redirect_uri?code=..&state=..}. */
    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        String code = UUID.randomUUID().toString();
        codes.put(code, query.getOrDefault("nonce", ""));
        URI back = URI.create(query.get("redirect_uri") + "?code=" + code + "&state="
                + URLEncoder.encode(query.getOrDefault("state", ""), StandardCharsets.UTF_8));
        exchange.getResponseHeaders().set("Location", back.toString());
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> params = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String client = basicClient(exchange.getRequestHeaders().getFirst("Authorization"));
        if (client == null) {
            respond(exchange, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        switch (params.getOrDefault("grant_type", "")) {
            case "authorization_code" -> {
                String nonce = codes.remove(params.getOrDefault("code", ""));
                if (nonce == null) {
                    respond(exchange, 400, "{\"error\":\"invalid_grant\"}");
                    return;
                }
                long now = Instant.now().getEpochSecond();
                String id = sign(c -> c.audience(client).claim("nonce", nonce).claim("auth_time", now)
                        .claim("azp", client));
                respond(exchange, 200, "{\"access_token\":\"" + sign(c -> c.audience("gatehouse-api"))
                        + "\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"id_token\":\"" + id
                        + "\",\"refresh_token\":\"" + UUID.randomUUID() + "\"}");
            }
            case "client_credentials" -> {
                String scope = params.getOrDefault("scope", "");
                String jwt = sign(c -> c.subject(client).audience("device-inventory").claim("azp", client)
                        .claim("scope", scope).claim("email", null).claim("email_verified", null).claim("groups", null));
                respond(exchange, 200, "{\"access_token\":\"" + jwt + "\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
                        + "\"scope\":\"" + scope + "\"}");
            }
            default -> respond(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
        }
    }

    /** The access token of the client-credentials grant for {@code client}, asked for directly (no HTTP). */
    String clientToken(String client, String scope) {
        return sign(c -> c.subject(client).audience("device-inventory").claim("azp", client).claim("scope", scope)
                .claim("email", null).claim("email_verified", null).claim("groups", null));
    }

    private String basicClient(String authorization) {
        if (authorization == null || !authorization.startsWith("Basic ")) {
            return null;
        }
        String pair = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String id = URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8);
        String secret = URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8);
        return secret.equals(clients.get(id)) ? id : null;
    }

    private static Map<String, String> form(String text) {
        Map<String, String> params = new HashMap<>();
        if (text == null) {
            return params;
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        stop();
        handlers.shutdownNow();
    }
}
