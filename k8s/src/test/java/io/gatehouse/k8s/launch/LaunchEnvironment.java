package io.gatehouse.k8s.launch;

import io.gatehouse.testsupport.StubServer;
import io.gatehouse.testsupport.TestIssuer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything outside the Deployments that the manifests expect, made once per test JVM on loopback addresses
 * {@code 127.0.9.*}: the PKI, the IdP ({@value #ISSUER}), PostgreSQL with TLS and Redis, and the ConfigMaps and
 * Secrets that cert-manager, trust-manager, External Secrets or the operator would create (docs/deploy-kubernetes.md
 * lists them). Test values only, made at test time.
 */
final class LaunchEnvironment implements AutoCloseable {

    static final String ISSUER = "https://idp.corp.example/realms/gatehouse";
    static final String IDP_HOST = "idp.corp.example";
    static final String IDP_ADDRESS = "127.0.9.1";
    static final String DB_HOST = "inventory-db.gatehouse.test";
    static final String DB_ADDRESS = "127.0.9.2";
    static final String REDIS_ADDRESS = "127.0.9.3";
    static final String API_SERVER = "127.0.9.4";
    static final String POSTURE_CLIENT = "gatehouse-posture";
    static final String POSTURE_SECRET = "posture-launch-secret";
    static final String OIDC_SECRET = "oidc-launch-secret";

    private final Path dir;
    private final LaunchPki pki;
    private final TestIssuer idp;
    private final FixtureDatabases databases;

    private LaunchEnvironment(Path dir, LaunchPki pki, TestIssuer idp, FixtureDatabases databases) {
        this.dir = dir;
        this.pki = pki;
        this.idp = idp;
        this.databases = databases;
    }

    /** Makes the PKI (the gateway certificate for {@code gatewayDnsNames}) and starts the IdP and the databases. */
    static LaunchEnvironment start(Path dir, List<String> gatewayDnsNames) {
        LaunchPki pki = LaunchPki.create(dir.resolve("pki"), gatewayDnsNames, IDP_HOST, DB_HOST);
        TestIssuer idp = startIdp(pki);
        try {
            FixtureDatabases dbs = FixtureDatabases.start(dir.resolve("db"), pki, DB_ADDRESS, "inventory", "inventory",
                    "db-launch-password", REDIS_ADDRESS);
            return new LaunchEnvironment(dir, pki, idp, dbs);
        } catch (RuntimeException e) {
            idp.close();
            throw e;
        }
    }

    /** A fresh set of the ConfigMaps and Secrets the cluster would hold (the rendered ones are added by the launch). */
    PodFiles files() {
        PodFiles files = new PodFiles();
        files.secret("gatehouse", "gateway-signing-keys", Map.of("signing.pem", pki.bytes("signing.pem")));
        files.secret("gatehouse", "gateway-tls", Map.of("tls.crt", pki.bytes("gateway.crt"),
                "tls.key", pki.bytes("gateway.key"), "ca.crt", pki.bytes("internal-ca.crt")));
        files.secret("gatehouse", "gateway-device-ca", Map.of("ca.crt", pki.bytes("device-ca.crt")));
        files.secret("gatehouse", "gateway-clients", Map.of("oidc-client-secret", utf8(OIDC_SECRET),
                "inventory-client-secret", utf8(POSTURE_SECRET)));
        files.secret("gatehouse", "gateway-redis", Map.of("url", utf8("redis://" + REDIS_ADDRESS + ":6379")));
        files.secret("gatehouse", "device-inventory-db", Map.of("host", utf8(DB_HOST), "username", utf8("inventory"),
                "password", utf8("db-launch-password")));
        files.configMap("gatehouse", "device-inventory-db-ca", Map.of("ca.pem", pki.bytes("db-ca.crt")));
        files.configMap("gatehouse-apps", "gatehouse-internal-ca", Map.of("ca.pem", pki.bytes("internal-ca.crt"),
                "bundle.p12", pki.bytes("internal-ca.p12")));
        return files;
    }

    /** One TLS request to the IdP from here, so its first answer to a pod is not slowed by class loading. */
    void warmUp() {
        try (InputStream in = Files.newInputStream(publicTrustStore())) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(in, LaunchPki.PASSWORD.toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            // A raw TLS socket by address (the certificate names idp.corp.example; nothing is verified here).
            try (var socket = (javax.net.ssl.SSLSocket) tls.getSocketFactory().createSocket(IDP_ADDRESS, 443)) {
                socket.startHandshake();
                socket.getOutputStream().write(("GET /realms/gatehouse/.well-known/openid-configuration HTTP/1.1\r\n"
                        + "Host: " + IDP_HOST + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                socket.getInputStream().readAllBytes();
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new LaunchFailure("the fixture IdP does not answer on " + IDP_ADDRESS + ":443: " + e);
        }
    }

    /** Names outside the cluster, for the hosts file. */
    Map<String, String> hosts() {
        Map<String, String> hosts = new LinkedHashMap<>();
        hosts.put(IDP_HOST, IDP_ADDRESS);
        hosts.put(DB_HOST, DB_ADDRESS);
        return hosts;
    }

    /**
     * The packaged jar of a Deployment's module: the system property the k8s pom sets for failsafe, else the one
     * jar in the module's {@code target/} (as when the class is run from an IDE).
     */
    Path jar(String deployment) {
        String[] where = switch (deployment) {
            case "gateway" -> new String[] {"gatehouse.gateway.jar", "gateway", "gatehouse-gateway-"};
            case "device-inventory" -> new String[] {"gatehouse.inventory.jar", "device-inventory", "device-inventory-"};
            case "hello-app" -> new String[] {"gatehouse.hello.jar", "examples/hello-app", "hello-app-"};
            default -> throw new LaunchFailure("no jar known for Deployment " + deployment);
        };
        String jar = System.getProperty(where[0]);
        if (jar != null) {
            return Path.of(jar);
        }
        Path target = io.gatehouse.k8s.Kustomize.K8S.resolve("..").resolve(where[1]).resolve("target").normalize();
        try (var files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().startsWith(where[2])
                            && f.getFileName().toString().endsWith(".jar")
                            && !f.getFileName().toString().endsWith("-plain.jar")
                            && !f.getFileName().toString().endsWith("-sources.jar"))
                    .findFirst().orElseThrow(() -> new LaunchFailure("no " + where[2] + "*.jar in " + target
                            + ": build the reactor (the k8s module comes after the deployables)"));
        } catch (IOException e) {
            throw new LaunchFailure("cannot list " + target + " for the " + deployment + " jar: " + e);
        }
    }

    Path publicTrustStore() {
        return pki.file("public-ca.p12");
    }

    LaunchPki pki() {
        return pki;
    }

    /**
     * The IdP the manifests name ({@value #ISSUER}): test-support's {@link TestIssuer} on {@value #IDP_ADDRESS}:443 over
     * TLS (certificate from the launch's "public" CA) with Keycloak's endpoint paths, knowing the posture client;
     * its client-credentials tokens name {@code device-inventory} in {@code aud}. User tokens are minted in the test,
     * as the IdP would issue them after a login.
     */
    private static TestIssuer startIdp(LaunchPki pki) {
        SSLContext tls;
        try (InputStream in = Files.newInputStream(pki.file("idp.p12"))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, LaunchPki.PASSWORD.toCharArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, LaunchPki.PASSWORD.toCharArray());
            tls = SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, null);
        } catch (IOException | GeneralSecurityException e) {
            throw new LaunchFailure("cannot load the fixture IdP's certificate: " + e);
        }
        return TestIssuer.builder().bind(new StubServer.Binding(IDP_ADDRESS, 443, tls)).issuer(ISSUER)
                .endpoints(TestIssuer.Endpoints.KEYCLOAK).clientCredentialsAudience("device-inventory").start()
                .client(POSTURE_CLIENT, POSTURE_SECRET);
    }

    TestIssuer idp() {
        return idp;
    }

    FixtureDatabases databases() {
        return databases;
    }

    Path dir() {
        return dir;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try (var i = idp; var d = databases) {
            // both closed
        }
    }
}
