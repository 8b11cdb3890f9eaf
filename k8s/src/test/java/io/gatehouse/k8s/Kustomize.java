package io.gatehouse.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization with {@code kubectl kustomize} (kustomize is built into kubectl) and parses the result
 * with fabric8's model: core kinds become typed objects, custom resources stay generic. No API server is involved,
 * so this is not a server-side dry-run.
 */
public final class Kustomize {

    /** The {@code k8s/} folder: Maven runs this module's tests with it as the working directory. */
    public static final Path K8S = Path.of("").toAbsolutePath();

    private Kustomize() {
    }

    public static List<HasMetadata> render(String relativeDir) {
        return parse(renderYaml(relativeDir));
    }

    public static String renderYaml(String relativeDir) {
        Path dir = K8S.resolve(relativeDir);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no kustomization folder " + dir);
        }
        try {
            Process process = new ProcessBuilder("kubectl", "kustomize", dir.toString())
                    .redirectErrorStream(false)
                    .start();
            byte[] out = process.getInputStream().readAllBytes();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + relativeDir + " failed: " + err);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "kubectl is needed to render the manifests (it embeds kustomize); install it and run again", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rendering " + relativeDir, e);
        }
    }

    /** Parses multi-document YAML; a wrong type in a core kind fails here, with fabric8's message. */
    public static List<HasMetadata> parse(String yaml) {
        Object parsed = Serialization.unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        List<HasMetadata> objects = new ArrayList<>();
        if (parsed instanceof List<?> list) {
            for (Object item : list) {
                objects.add((HasMetadata) item);
            }
        } else if (parsed instanceof HasMetadata single) {
            objects.add(single);
        }
        return objects;
    }
}
