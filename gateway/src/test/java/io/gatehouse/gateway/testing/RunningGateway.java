package io.gatehouse.gateway.testing;

import io.gatehouse.gateway.GatewayApplication;
import io.gatehouse.testsupport.DevPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.reactive.context.StandardReactiveWebEnvironment;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The gateway application started in this JVM on random ports: HTTPS on the public port with the {@link DevPki}
 * server certificate and the test CA as device CA, management on a port of its own, {@code gatehouse.yaml} in a
 * temp directory, an ES256 signing key from a PEM file. Build one with {@link #builder(Path)}, close it when done.
 */
public final class RunningGateway implements AutoCloseable {

    /** The assertion issuer ({@code gatehouse.issuer}) every test gateway uses. */
    public static final String ISSUER = "https://gatehouse.test";

    private final ConfigurableApplicationContext context;
    private final DevPki pki;
    private final Path configFile;

    private RunningGateway(ConfigurableApplicationContext context, DevPki pki, Path configFile) {
        this.context = context;
        this.pki = pki;
        this.configFile = configFile;
    }

    /** Starts configuring a gateway whose files (PKI, gatehouse.yaml, keys) go under {@code dir}. */
    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    public ConfigurableApplicationContext context() { return context; }
    public DevPki pki() { return pki; }
    public Path configFile() { return configFile; }

    public int httpsPort() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** The management port (a separate listener, plain HTTP, on 127.0.0.1). */
    public int managementPort() {
        return Integer.parseInt(Objects.requireNonNull(context.getEnvironment().getProperty("local.management.port"),
                "local.management.port"));
    }

    /** {@code http://127.0.0.1:MGMT<path>} */
    public URI managementUri(String path) {
        return URI.create("http://127.0.0.1:" + managementPort() + path);
    }

    /** An HTTPS client with no client certificate, Host {@code localhost} unless a test sets one. */
    public GatewayClient client() {
        return new GatewayClient(pki, httpsPort(), null, false);
    }

    /**
     * Replaces gatehouse.yaml atomically (write a sibling, then move over it), as a config-map update would; the
     * gateway's watcher picks it up. Poll for the effect with Awaitility.
     */
    public void writeConfig(String yaml) {
        writeAtomically(configFile, yaml);
    }

    static void writeAtomically(Path file, String text) {
        try {
            Path next = file.resolveSibling(file.getFileName() + ".next");
            Files.writeString(next, text);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        context.close();
    }

    /** Settings of a gateway to start; every default can be overridden with {@link #property(String, Object)}. */
    public static final class Builder {
        private final Path dir;
        private DevPki pki;
        private String yaml = "routes: []\n";
        private final Map<String, Object> properties = new LinkedHashMap<>();
        private final List<String> profiles = new ArrayList<>();
        private final Map<String, Object> environmentVariables = new LinkedHashMap<>();

        private Builder(Path dir) {
            this.dir = dir;
        }

        /** Use this PKI (default: a new one under dir/pki). */
        public Builder pki(DevPki pki) {
            this.pki = pki;
            return this;
        }

        /** The initial gatehouse.yaml text. */
        public Builder config(String yaml) {
            this.yaml = yaml;
            return this;
        }

        /** A Spring property; a later call for the same key wins. {@code null} removes a default. */
        public Builder property(String key, Object value) {
            properties.put(key, value);
            return this;
        }

        /**
         * An environment variable as the gateway's process would see it ({@code GATEHOUSE_OIDC_ISSUERURI}), on top of
         * this JVM's real ones; it reaches Spring exactly as a real one would (relaxed binding, its origin).
         */
        public Builder environmentVariable(String name, String value) {
            environmentVariables.put(name, value);
            return this;
        }

        public Builder profile(String profile) {
            profiles.add(profile);
            return this;
        }

        /** Starts the gateway; throws what startup threw. */
        public RunningGateway start() {
            if (pki == null) {
                pki = DevPki.create(dir.resolve("pki"));
            }
            Path configFile = dir.resolve("gatehouse.yaml");
            writeAtomically(configFile, yaml);
            Path signingKey = pki.writeSigningKeyPem("assertion-k1");
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("server.port", 0);
            all.put("server.address", "127.0.0.1");
            all.put("server.ssl.certificate", pki.server().certificatePem().toString());
            all.put("server.ssl.certificate-private-key", pki.server().keyPem().toString());
            all.put("gatehouse.device-ca", pki.caPem().toString());
            all.put("management.server.port", 0);
            all.put("management.server.address", "127.0.0.1");
            all.put("gatehouse.config", configFile.toString());
            all.put("gatehouse.issuer", ISSUER);
            all.put("gatehouse.signing.keys[0].kid", "k1");
            all.put("gatehouse.signing.keys[0].path", signingKey.toString());
            all.put("gatehouse.config-watch.poll-interval", "200ms");
            all.put("spring.main.banner-mode", "off");
            all.putAll(properties);
            all.values().removeIf(Objects::isNull);
            // As command-line arguments: they outrank application.yml (default properties would not).
            String[] args = all.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
            SpringApplicationBuilder app = new SpringApplicationBuilder(GatewayApplication.class)
                    .profiles(profiles.toArray(String[]::new));
            if (!environmentVariables.isEmpty()) {
                StandardReactiveWebEnvironment environment = new StandardReactiveWebEnvironment();
                Map<String, Object> variables = new LinkedHashMap<>(environment.getSystemEnvironment());
                variables.putAll(environmentVariables);
                environment.getPropertySources().replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(
                                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
                app.environment(environment);
            }
            return new RunningGateway(app.run(args), pki, configFile);
        }
    }
}
