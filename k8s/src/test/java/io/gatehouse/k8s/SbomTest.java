package io.gatehouse.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every deployable module's build writes a CycloneDX SBOM (cyclonedx-maven-plugin, configured by Spring Boot's parent
 * for the three Spring Boot applications and in {@code policy/pom.xml} for the CLI). This test reads the files the
 * reactor just wrote (this module builds after the deployables, see its pom) and checks that each is CycloneDX JSON
 * 1.4 or later, names the module as its application component, lists the dependencies an operator would look for,
 * and leaves test-only libraries out.
 */
class SbomTest {

    private static final Path ROOT = Kustomize.K8S.getParent();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The module, where its build puts the SBOM, its own component name, and dependencies it must list. */
    record Deployable(String module, String sbom, String component, List<String> mustList) {
        @Override
        public String toString() {
            return module;
        }
    }

    static Stream<Arguments> deployables() {
        return Stream.of(
                new Deployable("gateway", "gateway/target/classes/META-INF/sbom/application.cdx.json",
                        "gatehouse-gateway",
                        List.of("com.nimbusds:nimbus-jose-jwt", "org.springframework.cloud:spring-cloud-gateway-server",
                                "io.gatehouse:gatehouse-policy", "io.projectreactor.netty:reactor-netty-http")),
                new Deployable("device-inventory", "device-inventory/target/classes/META-INF/sbom/application.cdx.json",
                        "device-inventory",
                        List.of("org.postgresql:postgresql", "org.flywaydb:flyway-core", "com.nimbusds:nimbus-jose-jwt")),
                new Deployable("examples/hello-app", "examples/hello-app/target/classes/META-INF/sbom/application.cdx.json",
                        "hello-app",
                        List.of("io.gatehouse:gatehouse-verifier", "com.nimbusds:nimbus-jose-jwt")),
                new Deployable("policy (CLI)", "policy/target/gatehouse-policy.cdx.json", "gatehouse-policy",
                        List.of("dev.cel:cel", "info.picocli:picocli", "org.snakeyaml:snakeyaml-engine")))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployables")
    void whenTheModuleIsBuiltThenItsSbomIsCycloneDxJsonNamingItselfAndItsDependencies(Deployable d) throws IOException {
        JsonNode bom = read(d.sbom());

        assertThat(bom.path("bomFormat").asText()).as(d.sbom() + " bomFormat").isEqualTo("CycloneDX");
        String[] spec = bom.path("specVersion").asText("0.0").split("\\.");
        assertThat(Integer.parseInt(spec[0]) * 100 + Integer.parseInt(spec[1]))
                .as(d.sbom() + " specVersion " + bom.path("specVersion")).isGreaterThanOrEqualTo(104);

        JsonNode self = bom.path("metadata").path("component");
        assertThat(self.path("name").asText()).as(d.sbom() + " metadata.component.name").isEqualTo(d.component());
        assertThat(self.path("group").asText()).isEqualTo("io.gatehouse");
        assertThat(self.path("type").asText()).as("metadata.component.type").isEqualTo("application");
        assertThat(self.path("version").asText()).as("the SBOM is of this build's version")
                .isEqualTo(System.getProperty("gatehouse.version"));

        List<String> listed = coordinates(bom);
        assertThat(listed).as(d.sbom() + " components").containsAll(d.mustList());
        for (JsonNode c : bom.path("components")) {
            assertThat(c.path("version").asText()).as(c.path("name") + " version").isNotBlank();
            assertThat(c.path("purl").asText()).as(c.path("name") + " purl")
                    .startsWith("pkg:maven/" + c.path("group").asText() + "/" + c.path("name").asText() + "@");
        }
        assertThat(listed).as(d.sbom() + ": test-scope libraries are not shipped, so not listed")
                .noneMatch(g -> g.startsWith("org.junit.") || g.startsWith("org.assertj:")
                        || g.startsWith("org.awaitility:") || g.equals("net.jqwik:jqwik"));
    }

    @Test
    void whenTheGatewayDependsOnThePolicyJarThenThatJarCarriesNoSecondApplicationSbom() {
        // The gateway's class path holds policy's plain jar; Spring Boot serves classpath:META-INF/sbom/application.cdx.json
        // (actuator sbom endpoint), so the CLI's SBOM must stay out of policy/target/classes.
        assertThat(ROOT.resolve("policy/target/classes/META-INF/sbom")).doesNotExist();
        assertThat(ROOT.resolve("verifier/target/classes/META-INF/sbom")).doesNotExist();
    }

    private static JsonNode read(String relative) throws IOException {
        Path file = ROOT.resolve(relative);
        assertThat(file).as("""
                %s is written by cyclonedx-maven-plugin during the module's build. Maven skips that plugin in offline \
                mode (it is marked requiresOnline, CycloneDX/cyclonedx-maven-plugin#439): build once without -o""",
                relative).isRegularFile();
        return JSON.readTree(file.toFile());
    }

    private static List<String> coordinates(JsonNode bom) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : bom.path("components")) {
            out.add(c.path("group").asText() + ":" + c.path("name").asText());
        }
        return out;
    }
}
