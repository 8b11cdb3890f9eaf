package io.gatehouse.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Runs Prometheus' {@code promtool} (Debian package {@code prometheus}; scripts/install-prerequisites installs it) on
 * the rules of a rendered {@code PrometheusRule}: its {@code spec.groups} is exactly a Prometheus rule file's
 * {@code groups}, so it is written out as one and checked as Prometheus itself would load it.
 */
final class Promtool {

    /** Exit status and combined output of one promtool run. */
    record Result(int exit, String output) {
    }

    private Promtool() {
    }

    /** The {@code spec.groups} of the one PrometheusRule named {@code name} among the rendered objects. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> groups(List<HasMetadata> objects, String name) {
        return objects.stream()
                .filter(o -> "PrometheusRule".equals(o.getKind()) && name.equals(o.getMetadata().getName()))
                .map(o -> (Map<String, Object>) ((GenericKubernetesResource) o).getAdditionalProperties().get("spec"))
                .map(spec -> (List<Map<String, Object>>) spec.get("groups"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no PrometheusRule " + name + " in the rendering"));
    }

    /** Writes {@code groups} as a plain Prometheus rule file. */
    static Path writeRuleFile(List<Map<String, Object>> groups, Path file) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        try {
            Files.writeString(file, new Yaml(options).dump(Map.of("groups", groups)), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a test resource into {@code dir} under its own file name. */
    static Path copyResource(String resource, Path dir) {
        try (InputStream in = Promtool.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + resource);
            }
            Path target = dir.resolve(Path.of(resource).getFileName().toString());
            Files.copy(in, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code promtool <args>} in {@code dir}, waiting at most 60 s. */
    static Result run(Path dir, String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "promtool";
        System.arraycopy(args, 0, command, 1, args.length);
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("promtool " + String.join(" ", args) + " did not finish in 60 s");
            }
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("promtool is needed for the alert-rule tests: install the Debian package"
                    + " `prometheus` (scripts/install-prerequisites does) and run again", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running promtool", e);
        }
    }
}
