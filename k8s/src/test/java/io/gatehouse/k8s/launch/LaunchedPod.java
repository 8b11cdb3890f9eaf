package io.gatehouse.k8s.launch;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.RoundingMode;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One replica of a rendered Deployment, started the way the kubelet would start its only container, as a process on
 * this machine (docs/deploy-kubernetes.md, "What the launch test proves"):
 * <ol>
 *   <li>every volumeMount is materialised under the pod's root: ConfigMap and Secret volumes as files (with the
 *       kubelet's {@code ..data} symlink layout), emptyDir as an empty writable folder; a volume whose ConfigMap or
 *       Secret does not exist, or a key that is missing, fails the launch as it would keep the pod from starting;</li>
 *   <li>the environment is exactly the container's {@code env}: names and values, {@code valueFrom} resolved from those
 *       ConfigMaps and Secrets, {@code $(VAR)} expanded, and every mount path in a value rewritten to
 *       {@code <pod root><mountPath>} (the one rewrite of values); plus what the kubelet adds
 *       ({@code KUBERNETES_SERVICE_HOST/PORT}, {@code HOSTNAME}, {@code HOME=/});</li>
 *   <li>{@code java -jar} of the module's packaged jar with the container's {@code args}, as the container's user
 *       ({@code runAsUser}/{@code runAsGroup} via setpriv), in its own mount namespace whose {@code /etc/hosts} maps the
 *       cluster's and the outside world's names to loopback addresses;</li>
 *   <li>JVM flags standing in for the pod's surroundings, nothing else: {@code -XX:MaxRAM} and
 *       {@code -XX:ActiveProcessorCount} from the container's limits (the cgroup), {@code server.address} and
 *       {@code management.server.address} = the pod's own loopback address (its network namespace), and, for a
 *       container that does not choose its own trust store, the launch's public CA (the image's cacerts).</li>
 * </ol>
 * {@link #awaitReady} then polls the readinessProbe as the kubelet would, on the pod's address and the probe's port.
 */
final class LaunchedPod implements AutoCloseable {

    private static final Pattern STARTED = Pattern.compile("Started \\S+ in ");

    private final String name;
    private final Container container;
    private final String address;
    private final Process process;
    private final Path log;
    private final Map<String, String> environment;

    private LaunchedPod(String name, Container container, String address, Process process, Path log,
                        Map<String, String> environment) {
        this.name = name;
        this.container = container;
        this.address = address;
        this.process = process;
        this.log = log;
        this.environment = environment;
    }

    /** Where and how to run one replica. {@code trustStore} may be null (the container brings its own). */
    record Spec(Deployment deployment, String address, Path root, Path hostsFile, Path jar, PodFiles files,
                Path trustStore, String apiServerAddress) {
    }

    static LaunchedPod launch(Spec spec) {
        Deployment d = spec.deployment();
        String name = d.getMetadata().getName();
        String namespace = d.getMetadata().getNamespace();
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        if (pod.getContainers().size() != 1 || !pod.getInitContainers().isEmpty()) {
            throw new LaunchFailure(name + ": the launch runs pods with exactly one container and no init containers");
        }
        Container c = pod.getContainers().get(0);
        if (!Files.isRegularFile(spec.jar())) {
            throw new LaunchFailure(name + ": no jar at " + spec.jar() + " (build the reactor: the k8s module comes after"
                    + " the deployables)");
        }
        try {
            Path root = Files.createDirectories(spec.root());
            root.toFile().setReadable(true, false);
            root.toFile().setExecutable(true, false);
            Map<String, String> mounts = PodEnvironment.mountVolumes(name, namespace, pod, c, root, spec.files());
            Map<String, String> env = PodEnvironment.environment(name, namespace, c, spec.files(), spec.address(),
                    spec.apiServerAddress(), mounts);
            Path jar = Files.copy(spec.jar(), root.resolve(name + ".jar"), StandardCopyOption.REPLACE_EXISTING);
            jar.toFile().setReadable(true, false);

            List<String> java = new ArrayList<>();
            java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            var limits = c.getResources() == null ? null : c.getResources().getLimits();
            if (limits != null && limits.get("memory") != null) {
                java.add("-XX:MaxRAM=" + Quantity.getAmountInBytes(limits.get("memory")).toBigInteger());
            }
            if (limits != null && limits.get("cpu") != null) {
                java.add("-XX:ActiveProcessorCount=" + Math.max(1, Quantity.getAmountInBytes(limits.get("cpu"))
                        .setScale(0, RoundingMode.CEILING).intValue()));
            }
            java.add("-Dserver.address=" + spec.address());
            java.add("-Dmanagement.server.address=" + spec.address());
            boolean ownTrust = env.values().stream().anyMatch(v -> v.contains("javax.net.ssl.trustStore"));
            if (spec.trustStore() != null && !ownTrust) {
                java.add("-Djavax.net.ssl.trustStore=" + spec.trustStore());
                java.add("-Djavax.net.ssl.trustStoreType=PKCS12");
                java.add("-Djavax.net.ssl.trustStorePassword=" + LaunchPki.PASSWORD);
            }
            java.addAll(List.of("-jar", jar.toString()));
            java.addAll(c.getArgs() == null ? List.of() : c.getArgs());

            List<String> command = new ArrayList<>(List.of("/usr/bin/unshare", "--mount", "--", "/bin/sh", "-c",
                    "/usr/bin/mount --bind \"$0\" /etc/hosts && exec \"$@\"", spec.hostsFile().toString()));
            Long uid = runAs(pod, c, true);
            Long gid = runAs(pod, c, false);
            if (uid != null) {
                command.addAll(List.of("/usr/bin/setpriv", "--reuid=" + uid, "--regid=" + (gid == null ? uid : gid),
                        "--clear-groups", "--"));
            }
            command.addAll(java);
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
            Path log = root.resolve(name + ".log");
            builder.redirectOutput(log.toFile());
            builder.environment().clear();
            builder.environment().putAll(env);
            builder.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            Files.writeString(root.resolve("launch.txt"), "command: " + command + "\nenvironment:\n"
                    + env.entrySet().stream().map(e -> "  " + e.getKey() + "=" + e.getValue() + "\n")
                    .reduce("", String::concat));
            return new LaunchedPod(name, c, spec.address(), builder.start(), log, env);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Long runAs(PodSpec pod, Container c, boolean user) {
        var sc = c.getSecurityContext();
        Long fromContainer = sc == null ? null : user ? sc.getRunAsUser() : sc.getRunAsGroup();
        if (fromContainer != null) {
            return fromContainer;
        }
        var psc = pod.getSecurityContext();
        return psc == null ? null : user ? psc.getRunAsUser() : psc.getRunAsGroup();
    }

    /** The container's port by name (or number, as a probe or a Service's targetPort gives it). */
    int port(IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return Objects.requireNonNullElse(container.getPorts(), List.<ContainerPort>of()).stream()
                .filter(p -> port.getStrVal().equals(p.getName())).map(ContainerPort::getContainerPort).findFirst()
                .orElseThrow(() -> new LaunchFailure(name + ": no container port named " + port.getStrVal()));
    }

    /**
     * Polls the readinessProbe (HTTP GET on the pod's address, the probe's port and path; 200–399 is ready) every
     * 500 ms. Fails with the log's tail when the process exits, when it is not ready {@code afterStarted} after the
     * application logged that it had started (a probe on the wrong port or path), or after {@code atMost}.
     */
    LaunchedPod awaitReady(Duration atMost, Duration afterStarted) {
        Probe probe = container.getReadinessProbe();
        if (probe == null || probe.getHttpGet() == null) {
            throw new LaunchFailure(name + ": no HTTP readinessProbe to wait for");
        }
        URI uri = probeUri(probe);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String[] last = {"no answer yet"};
        Instant[] startedAt = {null};
        try {
            Awaitility.await(name + " ready").atMost(atMost).pollInterval(Duration.ofMillis(500)).until(() -> {
                if (!process.isAlive()) {
                    throw new LaunchFailure(name + " exited with " + process.exitValue() + " before its readinessProbe "
                            + uri + " answered; last lines of " + log + ":\n" + Commands.tail(log, 40));
                }
                try {
                    int status = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status >= 200 && status < 400) {
                        return true;
                    }
                    last[0] = "HTTP " + status;
                } catch (IOException e) {
                    last[0] = e.toString();
                }
                if (startedAt[0] == null && STARTED.matcher(logText()).find()) {
                    startedAt[0] = Instant.now();
                }
                if (startedAt[0] != null && Instant.now().isAfter(startedAt[0].plus(afterStarted))) {
                    throw new LaunchFailure(name + ": readinessProbe " + uri + " failed (" + last[0] + ") "
                            + afterStarted.toSeconds() + " s after the application reported that it had started; check"
                            + " the probe's port and path against the container's ports and env. Last lines of " + log
                            + ":\n" + Commands.tail(log, 15));
                }
                return false;
            });
            return this;
        } catch (ConditionTimeoutException e) {
            throw new LaunchFailure(name + ": readinessProbe " + uri + " not ready within " + atMost.toSeconds()
                    + " s (" + last[0] + "); last lines of " + log + ":\n" + Commands.tail(log, 40));
        }
    }

    URI probeUri(Probe probe) {
        String path = Objects.requireNonNullElse(probe.getHttpGet().getPath(), "/");
        return URI.create("http://" + address + ":" + port(probe.getHttpGet().getPort()) + path);
    }

    /** Whether every declared container port accepts a TCP connection on the pod's address. */
    List<String> closedPorts() {
        List<String> closed = new ArrayList<>();
        for (ContainerPort p : Objects.requireNonNullElse(container.getPorts(), List.<ContainerPort>of())) {
            try (Socket s = new Socket(address, p.getContainerPort())) {
                s.isConnected();
            } catch (IOException e) {
                closed.add(p.getName() + "/" + p.getContainerPort());
            }
        }
        return closed;
    }

    Container container() {
        return container;
    }

    /** The same running process judged by another container spec (a probe changed in a copy of the manifest). */
    LaunchedPod judgedBy(Container other) {
        return new LaunchedPod(name, other, address, process, log, environment);
    }

    String address() {
        return address;
    }

    Map<String, String> environment() {
        return environment;
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
