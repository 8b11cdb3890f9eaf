package io.gatehouse.k8s.launch;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rendered Deployments of one overlay, one replica each, started with {@link LaunchedPod} on their own loopback
 * "pod IPs" ({@code 127.0.<net>.1..}) behind {@link ServiceProxy}s on their Services' "cluster IPs"
 * ({@code 127.0.<net+1>.1..}), with a hosts file naming every Service as the cluster's DNS would
 * ({@code name.namespace.svc.cluster.local}, {@code name.namespace.svc}, {@code name.namespace}) and the outside
 * world the {@link LaunchEnvironment} provides.
 */
final class LaunchedStack implements AutoCloseable {

    private final Map<String, LaunchedPod> pods;
    private final List<ServiceProxy> proxies;
    private final Map<String, String> serviceAddresses;

    private LaunchedStack(Map<String, LaunchedPod> pods, List<ServiceProxy> proxies,
                          Map<String, String> serviceAddresses) {
        this.pods = pods;
        this.proxies = proxies;
        this.serviceAddresses = serviceAddresses;
    }

    /**
     * Starts the Deployments named in {@code only} (all when empty) and waits until each is ready; on failure
     * everything started is stopped and the {@link LaunchFailure} names the pod and why.
     */
    static LaunchedStack launch(List<HasMetadata> rendered, LaunchEnvironment world, Path dir, int net,
                                List<String> only) {
        return launch(rendered, world, dir, net, only, null, null);
    }

    /**
     * As {@link #launch(List, LaunchEnvironment, Path, int, List)}, next to a running stack: a Service that selects
     * none of the Deployments started here is {@code running}'s (its cluster IP in the hosts file, no forwarder of
     * its own), so a relaunched gateway reaches the running inventory and apps. A Service annotated for PROXY
     * protocol ({@code service.beta.kubernetes.io/aws-load-balancer-proxy-protocol}) gets a forwarder acting as the
     * {@code nlb} (none: a plain forwarder).
     */
    static LaunchedStack launch(List<HasMetadata> rendered, LaunchEnvironment world, Path dir, int net,
                                List<String> only, LaunchedStack running, ServiceProxy.Nlb nlb) {
        List<Deployment> deployments = rendered.stream().filter(Deployment.class::isInstance)
                .map(Deployment.class::cast)
                .filter(d -> only.isEmpty() || only.contains(d.getMetadata().getName())).toList();
        List<Service> services = rendered.stream().filter(Service.class::isInstance).map(Service.class::cast).toList();
        Map<String, String> serviceAddresses = new LinkedHashMap<>();
        for (int i = 0; i < services.size(); i++) {
            Service s = services.get(i);
            String key = s.getMetadata().getName() + "." + s.getMetadata().getNamespace();
            boolean local = deployments.stream().anyMatch(d -> selects(s, d));
            serviceAddresses.put(key, !local && running != null && running.serviceAddress(key) != null
                    ? running.serviceAddress(key) : "127.0." + (net + 1) + "." + (i + 1));
        }
        PodFiles files = world.files();
        rendered.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast).forEach(files::add);
        Path hosts = hostsFile(dir, serviceAddresses, world);

        Map<String, LaunchedPod> pods = new LinkedHashMap<>();
        List<ServiceProxy> proxies = new ArrayList<>();
        LaunchedStack stack = new LaunchedStack(pods, proxies, serviceAddresses);
        try {
            int i = 1;
            for (Deployment d : deployments) {
                String name = d.getMetadata().getName();
                pods.put(name, LaunchedPod.launch(new LaunchedPod.Spec(d, "127.0." + net + "." + i++,
                        dir.resolve(name), hosts, world.jar(name), files, world.publicTrustStore(),
                        LaunchEnvironment.API_SERVER)));
            }
            for (Service s : services) {
                String address = serviceAddresses.get(s.getMetadata().getName() + "." + s.getMetadata().getNamespace());
                boolean proxyProtocol = s.getMetadata().getAnnotations() != null && s.getMetadata().getAnnotations()
                        .containsKey("service.beta.kubernetes.io/aws-load-balancer-proxy-protocol");
                if (proxyProtocol && nlb == null) {
                    throw new LaunchFailure("Service " + s.getMetadata().getName() + " asks for PROXY protocol: launch"
                            + " it with an NLB stand-in");
                }
                for (Deployment d : deployments) {
                    if (selects(s, d)) {
                        LaunchedPod pod = pods.get(d.getMetadata().getName());
                        for (ServicePort p : s.getSpec().getPorts()) {
                            int target = p.getTargetPort() == null ? p.getPort() : pod.port(p.getTargetPort());
                            proxies.add(new ServiceProxy(address, p.getPort(), pod.address(), target,
                                    proxyProtocol ? nlb : null));
                        }
                    }
                }
            }
            for (LaunchedPod pod : pods.values()) {
                pod.awaitReady(Duration.ofSeconds(360), Duration.ofSeconds(60));
            }
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private static boolean selects(Service s, Deployment d) {
        Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
        return s.getMetadata().getNamespace().equals(d.getMetadata().getNamespace())
                && s.getSpec().getSelector() != null && !s.getSpec().getSelector().isEmpty()
                && s.getSpec().getSelector().entrySet().stream()
                .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    private static Path hostsFile(Path dir, Map<String, String> services, LaunchEnvironment world) {
        StringBuilder text = new StringBuilder("127.0.0.1 localhost\n::1 localhost ip6-localhost\n");
        try {
            text.append("127.0.0.1 ").append(InetAddress.getLocalHost().getHostName()).append('\n');
        } catch (IOException e) {
            // no host name of its own: nothing to add
        }
        services.forEach((nameDotNamespace, address) -> text.append(address).append(' ')
                .append(nameDotNamespace).append(".svc.cluster.local ").append(nameDotNamespace).append(".svc ")
                .append(nameDotNamespace).append('\n'));
        world.hosts().forEach((name, address) -> text.append(address).append(' ').append(name).append('\n'));
        try {
            Files.createDirectories(dir);
            Path hosts = dir.resolve("hosts");
            Files.writeString(hosts, text);
            hosts.toFile().setReadable(true, false);
            return hosts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    LaunchedPod pod(String name) {
        LaunchedPod pod = pods.get(name);
        if (pod == null) {
            throw new IllegalArgumentException("no pod " + name + " in " + pods.keySet());
        }
        return pod;
    }

    /** The "cluster IP" of a Service, {@code name.namespace}. */
    String serviceAddress(String nameDotNamespace) {
        return serviceAddresses.get(nameDotNamespace);
    }

    @Override
    public void close() {
        proxies.forEach(ServiceProxy::close);
        pods.values().forEach(LaunchedPod::close);
    }
}
