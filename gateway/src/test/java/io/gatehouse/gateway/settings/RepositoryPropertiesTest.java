package io.gatehouse.gateway.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Every {@code gatehouse.*} key and {@code GATEHOUSE_*} variable the repository itself hands to the gateway passes
 * the startup check: docker-compose.yml, the Kubernetes manifests, scripts/run (demo/stack.env), the bench and e2e
 * launches, the gateway's own tests, and the tables of docs/configuration.md. Each source is put into an environment as it would reach the gateway
 * (variables as environment variables, {@code --key=value} as the command line) and checked by
 * {@link UnknownPropertyCheck#find}.
 */
class RepositoryPropertiesTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern VARIABLE = Pattern.compile("(?m)^\\s*(?:-\\s*name:\\s*)?(GATEHOUSE_[A-Z0-9_]+)\\s*:?");
    private static final Pattern ARGUMENT = Pattern.compile("--(gatehouse\\.[A-Za-z0-9.\\[\\]_-]+)=");
    private static final Pattern JAVA_KEY = Pattern.compile("(?:put|property)\\(\"(gatehouse\\.[A-Za-z0-9.\\[\\]_-]+)\"");
    private static final Pattern DOCUMENTED = Pattern.compile("(?m)^\\| `(gatehouse\\.[A-Za-z0-9.\\[\\]_-]+)`");
    // hello-app's settings (the verifier library), passed to it by the same scripts; never the gateway's.
    private static final String VERIFIER = "gatehouse.verifier.";

    private final KnownProperties known = KnownProperties.fromClasspath(getClass().getClassLoader());

    @Test
    void checkWhenDockerComposeAndKubernetesVariablesThenAllKnown() {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("docker-compose.yml")));
        files.addAll(files(ROOT.resolve("k8s/base"), ".yaml"));
        files.addAll(files(ROOT.resolve("k8s/overlays"), ".yaml"));
        Map<String, Object> variables = new LinkedHashMap<>();
        for (Path file : files) {
            Matcher m = VARIABLE.matcher(read(file));
            while (m.find()) {
                variables.put(m.group(1), file.toString());
            }
        }
        assertThat(variables).containsKeys("GATEHOUSE_OIDC_ISSUERURI", "GATEHOUSE_SIGNING_KEYS_0_PATH",
                "GATEHOUSE_DECISION_LOG_DRAIN_TIMEOUT");
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        variables));
        assertThat(UnknownPropertyCheck.find(environment, known)).isEmpty();
    }

    @Test
    void checkWhenScriptAndBenchArgumentsThenAllKnown() {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("scripts/run")));
        files.addAll(files(ROOT.resolve("bench"), ".sh"));
        List<String> arguments = new ArrayList<>();
        for (Path file : files) {
            Matcher m = ARGUMENT.matcher(read(file));
            while (m.find()) {
                if (!m.group(1).startsWith(VERIFIER)) {
                    arguments.add("--" + m.group(1) + "=value");
                }
            }
        }
        assertThat(arguments).contains("--gatehouse.oidc.issuer-uri=value",
                "--gatehouse.bearer.issuers[0].audiences[0]=value");
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource(arguments.toArray(String[]::new)));
        assertThat(UnknownPropertyCheck.find(environment, known)).isEmpty();
    }

    @Test
    void checkWhenKeysSetByE2eAndGatewayTestsThenAllKnown() {
        List<Path> files = new ArrayList<>(files(ROOT.resolve("e2e/src"), ".java"));
        files.addAll(files(Path.of("src/test/java"), ".java"));
        Map<String, Object> keys = new LinkedHashMap<>();
        for (Path file : files) {
            if (file.getFileName().toString().equals("UnknownPropertyIT.java")) {
                continue; // misspells keys on purpose
            }
            for (Pattern pattern : List.of(JAVA_KEY, ARGUMENT)) {
                Matcher m = pattern.matcher(read(file));
                while (m.find()) {
                    if (!m.group(1).startsWith(VERIFIER)) {
                        keys.put(m.group(1), "value");
                    }
                }
            }
        }
        assertThat(keys).containsKeys("gatehouse.inventory.cache-ttl", "gatehouse.listener.max-connections");
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("tests", keys));
        assertThat(UnknownPropertyCheck.find(environment, known)).isEmpty();
    }

    @Test
    void checkWhenKeysDocumentedInConfigurationTablesThenAllKnown() {
        Matcher m = DOCUMENTED.matcher(read(ROOT.resolve("docs/configuration.md")));
        Map<String, Object> keys = new LinkedHashMap<>();
        while (m.find()) {
            keys.put(m.group(1).replace("[i]", "[0]"), "value");
        }
        assertThat(keys).containsKeys("gatehouse.signing.keys[0].retire-after", "gatehouse.strict-properties");
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("docs/configuration.md", keys));
        assertThat(UnknownPropertyCheck.find(environment, known)).isEmpty();
    }

    private static List<Path> files(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(suffix)).filter(f -> !f.toString().contains("/target/"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
