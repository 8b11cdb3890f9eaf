package io.gatehouse.k8s.launch;

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
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The IdP the manifests name ({@code https://idp.corp.example/realms/gatehouse}), on its own loopback address and
 * port 443 over TLS (certificate from the launch's "public" CA): OIDC discovery, the JWKS (one RS256 key) and a
 * client-credentials token endpoint for the clients it knows. User tokens are minted in the test with
 * {@link #accessToken}, as the IdP would issue them after a login.
 */
final class FixtureIdp implements AutoCloseable {

    private final HttpsServer server;
    private final RSAKey key;
    private final String issuer;
    private final Map<String, String> clients;

    FixtureIdp(String address, String issuer, LaunchPki pki, Map<String, String> clients) {
        this.issuer = issuer;
        this.clients = Map.copyOf(clients);
        try {
            this.key = new RSAKeyGenerator(2048).keyID("launch-1").generate();
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(pki.file("idp.p12"))) {
                store.load(in, LaunchPki.PASSWORD.toCharArray());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, LaunchPki.PASSWORD.toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, null);
            server = HttpsServer.create(new InetSocketAddress(address, 443), 50);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JOSEException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        String path = java.net.URI.create(issuer).getPath();
        server.createContext(path + "/.well-known/openid-configuration", ex -> json(ex, 200, """
                {"issuer":"%1$s","authorization_endpoint":"%1$s/protocol/openid-connect/auth",
                 "token_endpoint":"%1$s/protocol/openid-connect/token","jwks_uri":"%1$s/protocol/openid-connect/certs",
                 "end_session_endpoint":"%1$s/protocol/openid-connect/logout","response_types_supported":["code"],
                 "subject_types_supported":["public"],"id_token_signing_alg_values_supported":["RS256"],
                 "code_challenge_methods_supported":["S256"]}""".formatted(issuer)));
        server.createContext(path + "/protocol/openid-connect/certs",
                ex -> json(ex, 200, new JWKSet(key.toPublicJWK()).toString()));
        server.createContext(path + "/protocol/openid-connect/token", this::token);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    /** An access token of this IdP: RS256, {@code typ: Bearer}, five minutes. */
    String accessToken(String subject, List<String> audiences, Map<String, Object> claims) {
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder().issuer(issuer).subject(subject).audience(audiences)
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(300)))
                .jwtID(UUID.randomUUID().toString()).claim("typ", "Bearer");
        claims.forEach(c::claim);
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                    .type(JOSEObjectType.JWT).build(), c.build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private void token(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String basic = ex.getRequestHeaders().getFirst("Authorization");
        String id = null;
        if (basic != null && basic.startsWith("Basic ")) {
            String pair = new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            String clientId = URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8);
            String secret = URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8);
            if (secret.equals(clients.get(clientId))) {
                id = clientId;
            }
        }
        if (id == null || !"client_credentials".equals(form.get("grant_type"))) {
            json(ex, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        String scope = form.getOrDefault("scope", "");
        String token = accessToken(id, List.of("device-inventory"), Map.of("scope", scope, "azp", id));
        json(ex, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":300,\"scope\":\""
                + scope + "\"}");
    }

    private static void json(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
