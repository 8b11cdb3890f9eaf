package io.gatehouse.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.yaml.snakeyaml.Yaml;

/**
 * The container images defined in the build (Jib, docs/deploy-kubernetes.md "Container images") match what the
 * manifests run. No container engine and no registry are reachable here, so the image itself cannot be built (Jib
 * pulls the base image's manifest even for {@code jib:buildTar}); this reads each deployable module's Jib
 * configuration from the poms instead (the module's {@code <configuration>} over the root pom's
 * {@code <pluginManagement>}, with {@code ${...}} properties resolved from both) and checks:
 * the base is distroless Java 17 pinned by {@code @sha256:} digest; the user is a numeric non-root uid; the exposed
 * ports are exactly the containerPorts of the Deployment running that image (rendered base); the image names are
 * those in {@code k8s/base/kustomization.yaml} {@code images:}; the main class exists; and Jib runs only when asked
 * (no execution outside the {@code image} profile).
 */
class ImageDefinitionTest {

    private static final Path ROOT = Kustomize.K8S.getParent();
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");
    private static final Pattern PINNED_BASE =
            Pattern.compile("gcr\\.io/distroless/java17-debian12(:nonroot)?@sha256:[0-9a-f]{64}");

    /** A deployable module and the name its image has in the kustomization's {@code images:}. */
    record Deployable(String module, String imageName) {
        @Override
        public String toString() {
            return module;
        }
    }

    static Stream<Deployable> deployables() {
        return Stream.of(new Deployable("gateway", "gatehouse/gateway"),
                new Deployable("device-inventory", "gatehouse/device-inventory"),
                new Deployable("examples/hello-app", "gatehouse/hello-app"));
    }

    @Test
    void imagesWhenListedInTheKustomizationThenEachIsBuiltByOneModule() throws Exception {
        Set<String> built = new TreeSet<>();
        for (Deployable d : deployables().toList()) {
            built.add(d.imageName());
        }
        assertThat(new TreeSet<>(kustomizationImages().keySet())).isEqualTo(built);
        assertThat(modulesWithJib()).containsExactlyInAnyOrder("gateway", "device-inventory", "examples/hello-app");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployables")
    void jibWhenConfiguredThenBaseIsDistrolessJava17PinnedByDigest(Deployable d) throws Exception {
        assertThat(jib(d.module()).get("from/image")).as(d.module() + " from.image").matches(PINNED_BASE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployables")
    void jibWhenConfiguredThenUserIsNumericAndNotRoot(Deployable d) throws Exception {
        String user = jib(d.module()).get("container/user");

        assertThat(user).as(d.module() + " container.user (numeric: Kubernetes' runAsNonRoot cannot check a name)")
                .matches("[0-9]+(:[0-9]+)?");
        assertThat(Integer.parseInt(user.split(":")[0])).as(d.module() + " uid").isPositive();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployables")
    void jibWhenConfiguredThenPortsAreTheDeploymentsContainerPorts(Deployable d) throws Exception {
        Set<Integer> exposed = new TreeSet<>();
        for (String port : jib(d.module()).get("container/ports").split(",")) {
            exposed.add(Integer.parseInt(port.trim()));
        }

        assertThat(exposed).as(d.module() + " container.ports").isEqualTo(containerPorts(d.imageName()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployables")
    void jibWhenConfiguredThenTargetIsTheKustomizationImageName(Deployable d) throws Exception {
        Map<String, String> jib = jib(d.module());
        String registry = properties(d.module()).get("gatehouse.image.registry");

        assertThat(jib.get("to/image")).as(d.module() + " to.image")
                .startsWith(registry + "/" + d.imageName() + ":")
                .doesNotContain("${");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployables")
    void jibWhenConfiguredThenMainClassExists(Deployable d) throws Exception {
        String mainClass = jib(d.module()).get("container/mainClass");
        Path source = ROOT.resolve(d.module()).resolve("src/main/java")
                .resolve(mainClass.replace('.', '/') + ".java");

        assertThat(source).as(d.module() + " container.mainClass").exists();
        assertThat(Files.readString(source)).contains("public static void main(String[] args)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployables")
    void jibWhenNotAskedForThenBoundToNoPhase(Deployable d) throws Exception {
        Element plugin = jibPlugin(pom(d.module()).getDocumentElement(), "build/plugins");

        assertThat(plugin).as(d.module() + " declares jib-maven-plugin").isNotNull();
        assertThat(child(plugin, "executions")).as(d.module() + ": jib runs only with -Pimage or jib:...").isNull();
        assertThat(profileBindsJib(d.module())).as(d.module() + " profile image binds jib:build").isTrue();
    }

    // --- the manifests ---

    /** {@code images:} of the base kustomization: name to newName (the name itself when there is none). */
    private static Map<String, String> kustomizationImages() throws IOException {
        Map<String, Object> kustomization = new Yaml().load(
                Files.readString(Kustomize.K8S.resolve("base/kustomization.yaml")));
        Map<String, String> images = new LinkedHashMap<>();
        for (Object entry : (List<?>) kustomization.get("images")) {
            Map<?, ?> image = (Map<?, ?>) entry;
            String name = (String) image.get("name");
            images.put(name, image.get("newName") == null ? name : (String) image.get("newName"));
        }
        return images;
    }

    /** The containerPorts of every container in the rendered base whose image is {@code imageName}'s. */
    private static Set<Integer> containerPorts(String imageName) throws IOException {
        String repository = Objects.requireNonNull(kustomizationImages().get(imageName), imageName);
        Set<Integer> ports = new TreeSet<>();
        int containers = 0;
        for (Workloads.Workload w : new Workloads(Kustomize.render("base")).all()) {
            for (Container c : w.template().getSpec().getContainers()) {
                if (c.getImage().split("[@:]", 2)[0].equals(repository) || c.getImage().equals(imageName)) {
                    containers++;
                    for (ContainerPort p : c.getPorts()) {
                        ports.add(p.getContainerPort());
                    }
                }
            }
        }
        assertThat(containers).as("containers running " + imageName + " in the rendered base").isPositive();
        return ports;
    }

    // --- the poms ---

    private static List<String> modulesWithJib() throws Exception {
        List<String> found = new ArrayList<>();
        for (Element module : children(child(pom("").getDocumentElement(), "modules"), "module")) {
            String name = module.getTextContent().trim();
            if (Files.exists(ROOT.resolve(name).resolve("pom.xml"))
                    && jibPlugin(pom(name).getDocumentElement(), "build/plugins") != null) {
                found.add(name);
            }
        }
        return found;
    }

    /**
     * The Jib settings this test checks, as Maven would merge them: the module's value, else the root pom's
     * pluginManagement one; properties resolved. Ports are joined with commas.
     */
    private static Map<String, String> jib(String module) throws Exception {
        Element own = child(jibPlugin(pom(module).getDocumentElement(), "build/plugins"), "configuration");
        Element managed = child(jibPlugin(pom("").getDocumentElement(), "build/pluginManagement/plugins"),
                "configuration");
        Map<String, String> properties = properties(module);
        Map<String, String> settings = new HashMap<>();
        for (String path : List.of("from/image", "to/image", "container/user", "container/mainClass",
                "container/ports")) {
            Element value = path(own, path);
            if (value == null) {
                value = path(managed, path);
            }
            assertThat(value).as(module + ": jib " + path + " is not configured").isNotNull();
            String text = path.equals("container/ports")
                    ? String.join(",", children(value, "port").stream().map(Node::getTextContent).toList())
                    : value.getTextContent().trim();
            settings.put(path, resolve(text, properties));
        }
        return settings;
    }

    private static Map<String, String> properties(String module) throws Exception {
        Map<String, String> properties = new HashMap<>();
        Element root = pom("").getDocumentElement();
        properties.put("project.version", child(root, "version").getTextContent().trim());
        for (Element pom : List.of(root, pom(module).getDocumentElement())) {
            Element declared = child(pom, "properties");
            if (declared != null) {
                for (Element p : children(declared, null)) {
                    properties.put(p.getTagName(), p.getTextContent().trim());
                }
            }
        }
        return properties;
    }

    private static String resolve(String text, Map<String, String> properties) {
        String resolved = text;
        for (int i = 0; i < 10 && resolved.contains("${"); i++) {
            Matcher m = PROPERTY.matcher(resolved);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String value = properties.get(m.group(1));
                assertThat(value).as("property ${" + m.group(1) + "} in " + text).isNotNull();
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
            resolved = out.toString();
        }
        return resolved;
    }

    private static boolean profileBindsJib(String module) throws Exception {
        Element profiles = child(pom(module).getDocumentElement(), "profiles");
        for (Element profile : profiles == null ? List.<Element>of() : children(profiles, "profile")) {
            Element plugin = "image".equals(child(profile, "id").getTextContent().trim())
                    ? jibPlugin(profile, "build/plugins") : null;
            if (plugin != null && path(plugin, "executions/execution/goals/goal") != null
                    && "build".equals(path(plugin, "executions/execution/goals/goal").getTextContent().trim())) {
                return true;
            }
        }
        return false;
    }

    private static Element jibPlugin(Element parent, String pluginsPath) {
        Element plugins = path(parent, pluginsPath);
        for (Element plugin : plugins == null ? List.<Element>of() : children(plugins, "plugin")) {
            if ("jib-maven-plugin".equals(child(plugin, "artifactId").getTextContent().trim())) {
                return plugin;
            }
        }
        return null;
    }

    private static Document pom(String module) throws Exception {
        Path file = ROOT.resolve(module).resolve("pom.xml");
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    private static Element path(Element from, String path) {
        Element at = from;
        for (String step : path.split("/")) {
            if (at == null) {
                return null;
            }
            at = child(at, step);
        }
        return at;
    }

    private static Element child(Element parent, String name) {
        List<Element> found = parent == null ? List.of() : children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && (name == null || name.equals(e.getTagName()))) {
                found.add(e);
            }
        }
        return found;
    }
}
