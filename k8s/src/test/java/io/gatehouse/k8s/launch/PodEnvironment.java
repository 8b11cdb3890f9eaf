package io.gatehouse.k8s.launch;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the kubelet prepares before it starts a container, done on this machine for {@link LaunchedPod}: the mounted
 * volumes as files under the pod's root, and the container's environment with {@code valueFrom} resolved,
 * {@code $(VAR)} expanded and mount paths rewritten to where the launch put them.
 */
final class PodEnvironment {

    /** {@code $$} (an escaped {@code $}) or {@code $(NAME)}. */
    private static final Pattern VAR = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    private PodEnvironment() {
    }

    /** Materialises every mount; returns mountPath → directory under the root, longest path first. */
    static Map<String, String> mountVolumes(String name, String namespace, PodSpec pod, Container c, Path root,
                                                    PodFiles files) throws IOException {
        Map<String, String> mounts = new LinkedHashMap<>();
        List<VolumeMount> volumeMounts = new ArrayList<>(Objects.requireNonNullElse(c.getVolumeMounts(), List.of()));
        volumeMounts.sort(Comparator.comparing((VolumeMount m) -> m.getMountPath().length()).reversed());
        for (VolumeMount m : volumeMounts) {
            if (m.getSubPath() != null || m.getSubPathExpr() != null) {
                throw new LaunchFailure(name + ": volumeMount " + m.getName() + " uses subPath, which the launch does"
                        + " not support");
            }
            Volume v = pod.getVolumes().stream().filter(x -> x.getName().equals(m.getName())).findFirst()
                    .orElseThrow(() -> new LaunchFailure(name + ": volumeMount " + m.getName() + " names no volume"));
            Path dir = root.resolve(m.getMountPath().substring(1));
            Files.createDirectories(dir);
            if (v.getEmptyDir() != null) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            } else if (v.getConfigMap() != null) {
                String cm = v.getConfigMap().getName();
                var data = files.configMap(namespace, cm).orElseThrow(() -> new LaunchFailure(name + ": ConfigMap "
                        + namespace + "/" + cm + " of volume " + v.getName() + " does not exist: the pod would not"
                        + " start (FailedMount)"));
                project(name, "ConfigMap " + cm, data, v.getConfigMap().getItems(), dir);
            } else if (v.getSecret() != null) {
                String s = v.getSecret().getSecretName();
                var data = files.secret(namespace, s).orElseThrow(() -> new LaunchFailure(name + ": Secret "
                        + namespace + "/" + s + " of volume " + v.getName() + " does not exist: the pod would not"
                        + " start (FailedMount)"));
                project(name, "Secret " + s, data, v.getSecret().getItems(), dir);
            } else {
                throw new LaunchFailure(name + ": volume " + v.getName() + " is of a kind the launch does not support");
            }
            mounts.put(m.getMountPath(), dir.toString());
        }
        return mounts;
    }

    /** The kubelet's layout: {@code ..data -> ..<timestamp>/}, each key a symlink through {@code ..data}. */
    private static void project(String pod, String what, Map<String, byte[]> data, List<KeyToPath> items, Path dir)
            throws IOException {
        Map<String, String> paths = new LinkedHashMap<>();
        if (items == null || items.isEmpty()) {
            data.keySet().forEach(k -> paths.put(k, k));
        } else {
            for (KeyToPath item : items) {
                if (!data.containsKey(item.getKey())) {
                    throw new LaunchFailure(pod + ": " + what + " has no key " + item.getKey());
                }
                paths.put(item.getKey(), item.getPath());
            }
        }
        String stamp = "..launch_" + Instant.now().toEpochMilli();
        Path timestamped = Files.createDirectories(dir.resolve(stamp));
        for (var e : paths.entrySet()) {
            Path file = timestamped.resolve(e.getValue());
            Files.createDirectories(file.getParent());
            Files.write(file, data.get(e.getKey()));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
        Files.createSymbolicLink(dir.resolve("..data"), Path.of(stamp));
        for (String path : paths.values()) {
            String top = path.split("/")[0];
            if (!Files.exists(dir.resolve(top), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(dir.resolve(top), Path.of("..data", top));
            }
        }
    }

    static Map<String, String> environment(String name, String namespace, Container c, PodFiles files, String address,
                                           String apiServer, Map<String, String> mounts) {
        if (c.getEnvFrom() != null && !c.getEnvFrom().isEmpty()) {
            throw new LaunchFailure(name + ": envFrom is not supported by the launch");
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar e : Objects.requireNonNullElse(c.getEnv(), List.<EnvVar>of())) {
            String value;
            if (e.getValueFrom() == null) {
                value = expand(Objects.requireNonNullElse(e.getValue(), ""), env);
            } else if (e.getValueFrom().getSecretKeyRef() != null) {
                var ref = e.getValueFrom().getSecretKeyRef();
                value = key(name, e.getName(), "Secret", ref.getName(), ref.getKey(),
                        files.secret(namespace, ref.getName()).orElse(null));
            } else if (e.getValueFrom().getConfigMapKeyRef() != null) {
                var ref = e.getValueFrom().getConfigMapKeyRef();
                value = key(name, e.getName(), "ConfigMap", ref.getName(), ref.getKey(),
                        files.configMap(namespace, ref.getName()).orElse(null));
            } else if (e.getValueFrom().getFieldRef() != null) {
                String field = e.getValueFrom().getFieldRef().getFieldPath();
                value = switch (field) {
                    case "metadata.name" -> name + "-launch";
                    case "metadata.namespace" -> namespace;
                    case "status.podIP" -> address;
                    default -> throw new LaunchFailure(name + ": env " + e.getName() + " fieldRef " + field
                            + " is not supported by the launch");
                };
            } else {
                throw new LaunchFailure(name + ": env " + e.getName() + " has a valueFrom the launch does not support");
            }
            env.put(e.getName(), value);
        }
        env.replaceAll((k, v) -> rewritePaths(v, mounts));
        // What the kubelet adds to every container (Spring Boot, for one, detects Kubernetes by the first two).
        env.putIfAbsent("KUBERNETES_SERVICE_HOST", apiServer);
        env.putIfAbsent("KUBERNETES_SERVICE_PORT", "443");
        env.putIfAbsent("HOSTNAME", name + "-launch");
        env.putIfAbsent("HOME", "/");
        return env;
    }

    private static String key(String pod, String var, String kind, String source, String key, Map<String, byte[]> data) {
        if (data == null) {
            throw new LaunchFailure(pod + ": env " + var + " needs " + kind + " " + source + ", which does not exist:"
                    + " the pod would not start (CreateContainerConfigError)");
        }
        if (!data.containsKey(key)) {
            throw new LaunchFailure(pod + ": env " + var + " needs key " + key + " of " + kind + " " + source
                    + ", which has only " + new java.util.TreeSet<>(data.keySet()));
        }
        return new String(data.get(key), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Kubernetes' {@code $(VAR)}: a variable defined earlier in the list is replaced, any other reference stays as
     * written, and {@code $$} is a literal {@code $} (so {@code $$(VAR)} is the text {@code $(VAR)}).
     */
    static String expand(String value, Map<String, String> earlier) {
        Matcher m = VAR.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = m.group(1) == null ? "$" : earlier.getOrDefault(m.group(1), m.group());
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Every mount path in a value, as a whole path prefix, becomes its folder under the pod's root. */
    static String rewritePaths(String value, Map<String, String> mounts) {
        String result = value;
        for (var m : mounts.entrySet()) {
            Pattern p = Pattern.compile("(^|[=\\s:,])" + Pattern.quote(m.getKey()) + "(?=$|[/\\s,&])");
            result = p.matcher(result).replaceAll(r -> Matcher.quoteReplacement(r.group(1) + m.getValue()));
        }
        return result;
    }
}
