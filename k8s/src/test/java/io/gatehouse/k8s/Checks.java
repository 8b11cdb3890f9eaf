package io.gatehouse.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The zero-trust rules that every rendered overlay must keep (docs/design.md, "Deployment"). Each check returns the
 * violations it found as sentences naming the object, so a test can assert "none" for the real manifests and
 * "exactly this one" for a deliberately broken copy.
 */
final class Checks {

    /** Custom resources we use, by kind and apiVersion: anything else generic is a typo or an unknown kind. */
    static final Map<String, Set<String>> KNOWN_CUSTOM_KINDS = Map.ofEntries(
            // External Secrets' served API since 0.17 (v1beta1 is deprecated and goes away).
            Map.entry("ExternalSecret", Set.of("external-secrets.io/v1")),
            Map.entry("SecretStore", Set.of("external-secrets.io/v1")),
            Map.entry("Certificate", Set.of("cert-manager.io/v1")),
            Map.entry("Bundle", Set.of("trust.cert-manager.io/v1alpha1")),
            Map.entry("SecurityGroupPolicy", Set.of("vpcresources.k8s.aws/v1beta1")),
            Map.entry("PeerAuthentication", Set.of("security.istio.io/v1")),
            Map.entry("AuthorizationPolicy", Set.of("security.istio.io/v1")),
            Map.entry("Gateway", Set.of("networking.istio.io/v1")),
            Map.entry("VirtualService", Set.of("networking.istio.io/v1")),
            Map.entry("DestinationRule", Set.of("networking.istio.io/v1")),
            Map.entry("CiliumNetworkPolicy", Set.of("cilium.io/v2")),
            Map.entry("ClusterPolicy", Set.of("kyverno.io/v1")),
            Map.entry("PrometheusRule", Set.of("monitoring.coreos.com/v1")),
            Map.entry("PodMonitor", Set.of("monitoring.coreos.com/v1")));

    static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterPolicy", "ClusterRole",
            "ClusterRoleBinding", "ClusterSecretStore", "CustomResourceDefinition", "Bundle", "ClusterIssuer");

    static final String APPROVED_REGISTRY = "ghcr.io/gatehouse/";

    private Checks() {
    }

    static List<String> all(List<HasMetadata> objects) {
        List<String> v = new ArrayList<>();
        v.addAll(typedAndKnown(objects));
        v.addAll(scope(objects));
        v.addAll(podSecurity(objects));
        v.addAll(serviceAccounts(objects));
        v.addAll(networkPolicies(objects));
        v.addAll(noSecretData(objects));
        v.addAll(selectors(objects));
        v.addAll(gracefulShutdown(objects));
        v.addAll(sharedSessions(objects));
        v.addAll(proxyProtocol(objects));
        v.addAll(decisionService(objects));
        return v;
    }

    static final String AUTHZ_PORT_ENV_PREFIX = "GATEHOUSE_AUTHZ_";
    static final Set<String> AUTHZ_PORT_ENVS = Set.of("GATEHOUSE_AUTHZ_GRPC_PORT", "GATEHOUSE_AUTHZ_HTTP_PORT");
    static final String AUTHZ_TLS_ENV = "GATEHOUSE_AUTHZ_TLS_ENABLED";
    /** The only caller address a plain (TLS off) decision port may trust: the Istio sidecar's inbound source. */
    static final Set<String> SIDECAR_SOURCES = Set.of("127.0.0.6/32");

    /**
     * The decision service's ports (docs/design-next.md §2.1, §2.2) stay off the public path: the public Service
     * {@code gateway} does not expose them; every NetworkPolicy rule admitting one to the gateway's pods names who may
     * call (no rule open to everyone) and at least one does (else the port is unreachable); and a port with TLS off
     * ({@value #AUTHZ_TLS_ENV}=false) trusts no caller address but the sidecar's ({@link #SIDECAR_SOURCES}): plain
     * requests describing other requests are believed only from the mesh proxy that already checked the caller.
     */
    static List<String> decisionService(List<HasMetadata> objects) {
        Workloads set = new Workloads(objects);
        List<String> v = new ArrayList<>();
        for (var d : set.ofType(io.fabric8.kubernetes.api.model.apps.Deployment.class)) {
            if (!"gateway".equals(d.getMetadata().getName())) {
                continue;
            }
            String ns = d.getMetadata().getNamespace();
            String who = describe(d);
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                Map<String, String> env = new HashMap<>();
                Objects.requireNonNullElse(c.getEnv(), List.<io.fabric8.kubernetes.api.model.EnvVar>of())
                        .forEach(e -> env.put(e.getName(), Objects.requireNonNullElse(e.getValue(), "")));
                List<Integer> ports = AUTHZ_PORT_ENVS.stream().filter(env::containsKey).sorted()
                        .map(name -> Integer.valueOf(env.get(name).strip())).toList();
                if (ports.isEmpty()) {
                    continue;
                }
                Set<String> portNames = new java.util.HashSet<>();
                for (var cp : Objects.requireNonNullElse(c.getPorts(),
                        List.<io.fabric8.kubernetes.api.model.ContainerPort>of())) {
                    if (ports.contains(cp.getContainerPort()) && cp.getName() != null) {
                        portNames.add(cp.getName());
                    }
                }
                set.find(Service.class, ns, "gateway").ifPresent(publicService -> {
                    for (var sp : publicService.getSpec().getPorts()) {
                        IntOrString target = sp.getTargetPort() == null ? new IntOrString(sp.getPort())
                                : sp.getTargetPort();
                        if (ports.contains(target.getIntVal()) || portNames.contains(target.getStrVal())) {
                            v.add("Service " + ns + "/gateway (the public one) exposes the decision port "
                                    + (target.getIntVal() != null ? target.getIntVal() : target.getStrVal()));
                        }
                    }
                });
                Map<String, String> labels = nullToEmpty(d.getSpec().getTemplate().getMetadata().getLabels());
                for (int port : ports) {
                    boolean admitted = false;
                    for (NetworkPolicy p : set.ofType(NetworkPolicy.class)) {
                        if (!ns.equals(p.getMetadata().getNamespace())
                                || !Workloads.selects(nullToEmpty(p.getSpec().getPodSelector().getMatchLabels()),
                                        labels)) {
                            continue;
                        }
                        for (var rule : p.getSpec().getIngress()) {
                            boolean toPort = rule.getPorts().isEmpty() || rule.getPorts().stream().anyMatch(rp ->
                                    rp.getPort() == null || Integer.valueOf(port).equals(rp.getPort().getIntVal())
                                            || portNames.contains(rp.getPort().getStrVal()));
                            if (!toPort) {
                                continue;
                            }
                            admitted = true;
                            if (rule.getFrom().isEmpty()) {
                                v.add("NetworkPolicy " + ns + "/" + p.getMetadata().getName() + " admits the decision"
                                        + " port " + port + " of " + who + " from anywhere");
                            }
                        }
                    }
                    if (!admitted) {
                        v.add(who + ": no NetworkPolicy admits its decision port " + port + " from its callers");
                    }
                }
                if ("false".equalsIgnoreCase(env.getOrDefault(AUTHZ_TLS_ENV, "true").strip())) {
                    List<String> cidrs = env.entrySet().stream()
                            .filter(e -> e.getKey().matches(AUTHZ_PORT_ENV_PREFIX + "CALLERS_\\d+_CIDRS(_\\d+)?"))
                            .flatMap(e -> java.util.Arrays.stream(e.getValue().split(",")))
                            .map(String::strip).filter(s -> !s.isEmpty()).sorted().toList();
                    List<String> beyond = cidrs.stream().filter(cidr -> !SIDECAR_SOURCES.contains(cidr)).toList();
                    if (!beyond.isEmpty()) {
                        v.add(who + ": the decision service runs without TLS (" + AUTHZ_TLS_ENV + "=false) and"
                                + " trusts " + beyond + " beyond the sidecar's " + SIDECAR_SOURCES);
                    }
                    if (env.keySet().stream().anyMatch(k -> k.matches(AUTHZ_PORT_ENV_PREFIX + "CALLERS_\\d+_SAN.*"))) {
                        v.add(who + ": the decision service runs without TLS and names callers by certificate SAN,"
                                + " which it cannot see");
                    }
                }
            }
        }
        return v;
    }

    static final String PROXY_PROTOCOL_ANNOTATION = "service.beta.kubernetes.io/aws-load-balancer-proxy-protocol";
    static final String TRUSTED_ADDRESSES_ENV = "GATEHOUSE_LISTENER_PROXYPROTOCOL_TRUSTEDADDRESSES";

    /**
     * PROXY protocol is on at both ends or at neither (docs/deploy-kubernetes.md, "Client addresses"): a gateway
     * Service whose load balancer sends PROXY headers ({@value #PROXY_PROTOCOL_ANNOTATION}) needs a gateway that
     * trusts the load balancer's addresses ({@value #TRUSTED_ADDRESSES_ENV}, or its indexed {@code _0} form), else
     * every TLS handshake fails on the header's bytes; a gateway that requires the header behind a Service that does
     * not send it refuses every connection. With trusted addresses, every NetworkPolicy rule admitting the gateway's
     * port 8443 names only those ranges (ipBlocks), so nothing else can reach the port and write a header.
     */
    static List<String> proxyProtocol(List<HasMetadata> objects) {
        Workloads set = new Workloads(objects);
        List<String> v = new ArrayList<>();
        for (var d : set.ofType(io.fabric8.kubernetes.api.model.apps.Deployment.class)) {
            if (!"gateway".equals(d.getMetadata().getName())) {
                continue;
            }
            List<String> trusted = d.getSpec().getTemplate().getSpec().getContainers().stream()
                    .flatMap(c -> Objects.requireNonNullElse(c.getEnv(),
                            List.<io.fabric8.kubernetes.api.model.EnvVar>of()).stream())
                    .filter(e -> e.getName().equals(TRUSTED_ADDRESSES_ENV)
                            || e.getName().startsWith(TRUSTED_ADDRESSES_ENV + "_"))
                    .map(e -> Objects.requireNonNullElse(e.getValue(), ""))
                    .flatMap(value -> java.util.Arrays.stream(value.split(",")))
                    .map(String::strip).filter(s -> !s.isEmpty()).toList();
            var service = set.find(Service.class, d.getMetadata().getNamespace(), "gateway");
            String sent = service.map(s -> s.getMetadata().getAnnotations())
                    .map(a -> a.get(PROXY_PROTOCOL_ANNOTATION)).orElse(null);
            String who = describe(d);
            if (sent != null && trusted.isEmpty()) {
                v.add("Service " + d.getMetadata().getNamespace() + "/gateway asks its load balancer for PROXY"
                        + " protocol (" + PROXY_PROTOCOL_ANNOTATION + ": \"" + sent + "\") but " + who + " sets no "
                        + TRUSTED_ADDRESSES_ENV + ": every TLS handshake would fail on the header");
            } else if (sent == null && !trusted.isEmpty()) {
                v.add(who + " trusts PROXY headers from " + trusted + " (" + TRUSTED_ADDRESSES_ENV + ") but Service "
                        + d.getMetadata().getNamespace() + "/gateway does not ask its load balancer to send them ("
                        + PROXY_PROTOCOL_ANNOTATION + "): every connection would be refused");
            }
            if (trusted.isEmpty()) {
                continue;
            }
            Map<String, String> labels = nullToEmpty(d.getSpec().getTemplate().getMetadata().getLabels());
            for (NetworkPolicy p : set.ofType(NetworkPolicy.class)) {
                if (!d.getMetadata().getNamespace().equals(p.getMetadata().getNamespace())
                        || !Workloads.selects(nullToEmpty(p.getSpec().getPodSelector().getMatchLabels()), labels)) {
                    continue;
                }
                for (var rule : p.getSpec().getIngress()) {
                    boolean to8443 = rule.getPorts().isEmpty() || rule.getPorts().stream().anyMatch(port ->
                            port.getPort() == null || Integer.valueOf(8443).equals(port.getPort().getIntVal())
                                    || "https".equals(port.getPort().getStrVal()));
                    boolean onlyTrusted = !rule.getFrom().isEmpty() && rule.getFrom().stream().allMatch(peer ->
                            peer.getIpBlock() != null && trusted.contains(peer.getIpBlock().getCidr())
                                    && peer.getIpBlock().getExcept().isEmpty());
                    if (to8443 && !onlyTrusted) {
                        v.add("NetworkPolicy " + p.getMetadata().getNamespace() + "/" + p.getMetadata().getName()
                                + " admits the gateway's port 8443 from more than its PROXY protocol trusted addresses "
                                + trusted + ": anything else reaching the port could write a header");
                    }
                }
            }
        }
        return v;
    }

    /**
     * A gateway that may run more than one replica (its Deployment's replicas or its autoscaler's minReplicas) keeps
     * sessions in Redis (any {@code SPRING_DATA_REDIS_*} setting); otherwise a login on one replica is unknown to the
     * others.
     */
    static List<String> sharedSessions(List<HasMetadata> objects) {
        Workloads set = new Workloads(objects);
        List<String> v = new ArrayList<>();
        for (var d : set.ofType(io.fabric8.kubernetes.api.model.apps.Deployment.class)) {
            if (!"gateway".equals(d.getMetadata().getName())) {
                continue;
            }
            int replicas = Objects.requireNonNullElse(d.getSpec().getReplicas(), 1);
            for (var hpa : set.ofType(io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class)) {
                if (d.getMetadata().getName().equals(hpa.getSpec().getScaleTargetRef().getName())) {
                    replicas = Math.max(replicas, Objects.requireNonNullElse(hpa.getSpec().getMinReplicas(), 1));
                }
            }
            boolean redis = d.getSpec().getTemplate().getSpec().getContainers().stream()
                    .flatMap(c -> Objects.requireNonNullElse(c.getEnv(),
                            List.<io.fabric8.kubernetes.api.model.EnvVar>of()).stream())
                    .anyMatch(e -> e.getName().startsWith("SPRING_DATA_REDIS_"));
            if (replicas > 1 && !redis) {
                v.add(describe(d) + ": " + replicas + " replicas but no SPRING_DATA_REDIS_* setting: sessions would"
                        + " not be shared");
            }
        }
        return v;
    }

    /**
     * The gateway drains before it exits: a preStop sleep (its endpoints are removed while it still serves), and a
     * grace period longer than preStop + the HTTP drain ({@code SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE},
     * Spring's default 30 s) + the decision-log drain ({@code GATEHOUSE_DECISION_LOG_DRAIN_TIMEOUT}, default 10 s).
     */
    static List<String> gracefulShutdown(List<HasMetadata> objects) {
        List<String> v = new ArrayList<>();
        for (Workloads.Workload w : new Workloads(objects).all()) {
            if (!"gateway".equals(w.owner().getMetadata().getName())) {
                continue;
            }
            PodSpec pod = w.template().getSpec();
            for (Container c : pod.getContainers()) {
                String who = w.describe() + " container " + c.getName();
                var preStop = c.getLifecycle() == null ? null : c.getLifecycle().getPreStop();
                if (preStop == null || preStop.getSleep() == null || preStop.getSleep().getSeconds() == null
                        || preStop.getSleep().getSeconds() < 1) {
                    v.add(who + ": no preStop sleep (endpoints would still route to a stopping pod)");
                    continue;
                }
                long needed = preStop.getSleep().getSeconds()
                        + seconds(c, "SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE", 30)
                        + seconds(c, "GATEHOUSE_DECISION_LOG_DRAIN_TIMEOUT", 10);
                Long grace = pod.getTerminationGracePeriodSeconds();
                long granted = grace == null ? 30 : grace;
                if (granted <= needed) {
                    v.add(who + ": terminationGracePeriodSeconds " + granted + " is not longer than preStop + HTTP"
                            + " drain + decision-log drain = " + needed + " s");
                }
            }
        }
        return v;
    }

    /** A duration env var of the container in whole seconds ({@code 20s}, {@code 1m}), or the default. */
    private static long seconds(Container c, String name, long defaultSeconds) {
        for (var env : Objects.requireNonNullElse(c.getEnv(), List.<io.fabric8.kubernetes.api.model.EnvVar>of())) {
            if (name.equals(env.getName()) && env.getValue() != null) {
                String value = env.getValue().trim();
                if (value.endsWith("ms")) {
                    return (Long.parseLong(value.substring(0, value.length() - 2)) + 999) / 1000;
                }
                if (value.endsWith("m")) {
                    return Long.parseLong(value.substring(0, value.length() - 1)) * 60;
                }
                return Long.parseLong(value.endsWith("s") ? value.substring(0, value.length() - 1) : value);
            }
        }
        return defaultSeconds;
    }

    /** Core kinds carry no unknown field anywhere; custom kinds are ones we know. */
    static List<String> typedAndKnown(List<HasMetadata> objects) {
        List<String> v = new ArrayList<>();
        for (HasMetadata o : objects) {
            if (o instanceof GenericKubernetesResource) {
                Set<String> versions = KNOWN_CUSTOM_KINDS.get(o.getKind());
                if (versions == null || !versions.contains(o.getApiVersion())) {
                    v.add(describe(o) + ": unknown kind " + o.getApiVersion() + "/" + o.getKind());
                }
            } else {
                unknownFields(o, o.getKind(), v, describe(o), 0);
            }
        }
        return v;
    }

    private static void unknownFields(Object node, String path, List<String> v, String owner, int depth) {
        if (node == null || depth > 25) {
            return;
        }
        if (node instanceof Collection<?> c) {
            int i = 0;
            for (Object item : c) {
                unknownFields(item, path + "[" + i++ + "]", v, owner, depth + 1);
            }
            return;
        }
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, value) -> unknownFields(value, path + "." + k, v, owner, depth + 1));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    v.add(owner + ": unknown field(s) " + extra.keySet() + " at " + path);
                }
                continue;
            }
            String field = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            unknownFields(value, path + "." + field, v, owner, depth + 1);
        }
    }

    /** Cluster-scoped kinds carry no namespace (kustomize adds one if told to); namespaced kinds carry one. */
    static List<String> scope(List<HasMetadata> objects) {
        List<String> v = new ArrayList<>();
        for (HasMetadata o : objects) {
            String ns = o.getMetadata().getNamespace();
            boolean clusterScoped = CLUSTER_SCOPED.contains(o.getKind());
            if (clusterScoped && ns != null) {
                v.add(describe(o) + ": cluster-scoped kind must not carry namespace " + ns);
            } else if (!clusterScoped && ns == null) {
                v.add(describe(o) + ": namespaced kind without a namespace");
            }
        }
        return v;
    }

    /** Non-root, read-only root filesystem, no escalation, all capabilities dropped, seccomp, limits, digests, probes. */
    static List<String> podSecurity(List<HasMetadata> objects) {
        List<String> v = new ArrayList<>();
        for (Workloads.Workload w : new Workloads(objects).all()) {
            PodSpec pod = w.template().getSpec();
            var podContext = pod.getSecurityContext();
            boolean podNonRoot = podContext != null && Boolean.TRUE.equals(podContext.getRunAsNonRoot());
            boolean podSeccomp = podContext != null && podContext.getSeccompProfile() != null
                    && "RuntimeDefault".equals(podContext.getSeccompProfile().getType());
            List<Container> containers = new ArrayList<>(pod.getContainers());
            containers.addAll(pod.getInitContainers());
            for (Container c : containers) {
                String who = w.describe() + " container " + c.getName();
                SecurityContext sc = c.getSecurityContext();
                if (!podNonRoot && (sc == null || !Boolean.TRUE.equals(sc.getRunAsNonRoot()))) {
                    v.add(who + ": runAsNonRoot is not true");
                }
                if (!podSeccomp && (sc == null || sc.getSeccompProfile() == null
                        || !"RuntimeDefault".equals(sc.getSeccompProfile().getType()))) {
                    v.add(who + ": seccomp profile is not RuntimeDefault");
                }
                if (sc == null || !Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
                    v.add(who + ": readOnlyRootFilesystem is not true");
                }
                if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
                    v.add(who + ": allowPrivilegeEscalation is not false");
                }
                if (sc != null && Boolean.TRUE.equals(sc.getPrivileged())) {
                    v.add(who + ": privileged");
                }
                if (sc == null || sc.getCapabilities() == null || sc.getCapabilities().getDrop() == null
                        || !sc.getCapabilities().getDrop().contains("ALL")) {
                    v.add(who + ": capabilities do not drop ALL");
                }
                if (sc != null && sc.getCapabilities() != null && sc.getCapabilities().getAdd() != null
                        && !sc.getCapabilities().getAdd().isEmpty()) {
                    v.add(who + ": adds capabilities " + sc.getCapabilities().getAdd());
                }
                resources(c, who, v);
                image(c, who, v);
            }
            for (Container c : pod.getContainers()) {
                String who = w.describe() + " container " + c.getName();
                probe(c.getReadinessProbe(), "readinessProbe", who, v);
                probe(c.getLivenessProbe(), "livenessProbe", who, v);
            }
        }
        return v;
    }

    private static void resources(Container c, String who, List<String> v) {
        var r = c.getResources();
        for (String kind : List.of("cpu", "memory")) {
            if (r == null || r.getRequests() == null || !r.getRequests().containsKey(kind)) {
                v.add(who + ": no " + kind + " request");
            }
            if (r == null || r.getLimits() == null || !r.getLimits().containsKey(kind)) {
                v.add(who + ": no " + kind + " limit");
            }
        }
    }

    private static void image(Container c, String who, List<String> v) {
        String image = Objects.requireNonNullElse(c.getImage(), "");
        if (!image.matches(".+@sha256:[0-9a-f]{64}")) {
            v.add(who + ": image " + image + " is not pinned by digest");
        }
        if (!image.startsWith(APPROVED_REGISTRY)) {
            v.add(who + ": image " + image + " is not from " + APPROVED_REGISTRY);
        }
    }

    /** Probes go to the management port, never the public listener, and are keyed by path. */
    private static void probe(Probe probe, String name, String who, List<String> v) {
        if (probe == null || probe.getHttpGet() == null) {
            v.add(who + ": no HTTP " + name);
            return;
        }
        IntOrString port = probe.getHttpGet().getPort();
        if (port == null || !"management".equals(port.getStrVal())) {
            v.add(who + ": " + name + " is not on the port named management");
        }
        String path = Objects.requireNonNullElse(probe.getHttpGet().getPath(), "");
        if (!path.startsWith("/actuator/health/")) {
            v.add(who + ": " + name + " path " + path + " is not a health group");
        }
    }

    /** One dedicated ServiceAccount per workload, no API token unless asked for. */
    static List<String> serviceAccounts(List<HasMetadata> objects) {
        Workloads set = new Workloads(objects);
        List<String> v = new ArrayList<>();
        Map<String, String> usedBy = new HashMap<>();
        for (Workloads.Workload w : set.all()) {
            PodSpec pod = w.template().getSpec();
            String sa = pod.getServiceAccountName();
            if (sa == null || sa.isBlank() || sa.equals("default")) {
                v.add(w.describe() + ": runs under the default ServiceAccount");
                continue;
            }
            var account = set.find(ServiceAccount.class, w.namespace(), sa);
            if (account.isEmpty()) {
                v.add(w.describe() + ": ServiceAccount " + sa + " is not in the manifests");
            } else if (!Boolean.FALSE.equals(account.get().getAutomountServiceAccountToken())) {
                v.add("ServiceAccount " + w.namespace() + "/" + sa + ": automountServiceAccountToken is not false");
            }
            if (!Boolean.FALSE.equals(pod.getAutomountServiceAccountToken())) {
                v.add(w.describe() + ": automountServiceAccountToken is not false");
            }
            String previous = usedBy.put(w.namespace() + "/" + sa, w.describe());
            if (previous != null) {
                v.add(w.describe() + ": shares ServiceAccount " + sa + " with " + previous);
            }
        }
        return v;
    }

    /** Every namespace denies by default; every pod is selected by at least one allowing policy. */
    static List<String> networkPolicies(List<HasMetadata> objects) {
        Workloads set = new Workloads(objects);
        List<String> v = new ArrayList<>();
        List<NetworkPolicy> policies = set.ofType(NetworkPolicy.class);
        for (Namespace ns : set.ofType(Namespace.class)) {
            String name = ns.getMetadata().getName();
            boolean defaultDeny = policies.stream().anyMatch(p -> name.equals(p.getMetadata().getNamespace())
                    && isEmpty(p.getSpec().getPodSelector().getMatchLabels())
                    && p.getSpec().getPodSelector().getMatchExpressions().isEmpty()
                    && p.getSpec().getPolicyTypes().containsAll(List.of("Ingress", "Egress"))
                    && p.getSpec().getIngress().isEmpty() && p.getSpec().getEgress().isEmpty());
            if (!defaultDeny) {
                v.add("Namespace " + name + ": no default-deny NetworkPolicy for Ingress and Egress");
            }
        }
        for (Workloads.Workload w : set.all()) {
            boolean allowedIn = policies.stream().anyMatch(p -> w.namespace().equals(p.getMetadata().getNamespace())
                    && !p.getSpec().getIngress().isEmpty()
                    && Workloads.selects(nullToEmpty(p.getSpec().getPodSelector().getMatchLabels()), w.podLabels()))
                    || ciliumIngressFor(set, w);
            if (!allowedIn) {
                v.add(w.describe() + ": no NetworkPolicy allows any ingress to its pods");
            }
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private static boolean ciliumIngressFor(Workloads set, Workloads.Workload w) {
        for (HasMetadata o : set.ofKind("CiliumNetworkPolicy")) {
            if (!(o instanceof GenericKubernetesResource cnp) || !w.namespace().equals(o.getMetadata().getNamespace())) {
                continue;
            }
            Map<String, Object> spec = (Map<String, Object>) cnp.getAdditionalProperties().get("spec");
            Map<String, Object> selector = (Map<String, Object>) spec.get("endpointSelector");
            Map<String, String> labels = (Map<String, String>) selector.get("matchLabels");
            if (spec.get("ingress") != null && Workloads.selects(nullToEmpty(labels), w.podLabels())) {
                return true;
            }
        }
        return false;
    }

    /** Secrets come from the secrets manager: no Secret in the repo carries data. */
    static List<String> noSecretData(List<HasMetadata> objects) {
        List<String> v = new ArrayList<>();
        for (Secret s : new Workloads(objects).ofType(Secret.class)) {
            if (!isEmpty(s.getData()) || !isEmpty(s.getStringData())) {
                v.add(describe(s) + ": carries secret data in the repository");
            }
        }
        return v;
    }

    /** Services and disruption budgets select pods that exist; autoscalers target Deployments that exist. */
    static List<String> selectors(List<HasMetadata> objects) {
        Workloads set = new Workloads(objects);
        List<String> v = new ArrayList<>();
        for (Service s : set.ofType(Service.class)) {
            Map<String, String> selector = nullToEmpty(s.getSpec().getSelector());
            boolean matches = !selector.isEmpty() && set.all().stream().anyMatch(w ->
                    w.namespace().equals(s.getMetadata().getNamespace()) && Workloads.selects(selector, w.podLabels()));
            if (!matches) {
                v.add(describe(s) + ": selector " + selector + " matches no pods");
            }
        }
        for (var pdb : set.ofType(io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class)) {
            Map<String, String> selector = nullToEmpty(pdb.getSpec().getSelector().getMatchLabels());
            if (set.all().stream().noneMatch(w -> w.namespace().equals(pdb.getMetadata().getNamespace())
                    && Workloads.selects(selector, w.podLabels()))) {
                v.add(describe(pdb) + ": selector " + selector + " matches no pods");
            }
        }
        for (var hpa : set.ofType(io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class)) {
            var target = hpa.getSpec().getScaleTargetRef();
            if (set.find(io.fabric8.kubernetes.api.model.apps.Deployment.class,
                    hpa.getMetadata().getNamespace(), target.getName()).isEmpty()) {
                v.add(describe(hpa) + ": targets missing " + target.getKind() + " " + target.getName());
            }
        }
        return v;
    }

    static String describe(HasMetadata o) {
        String ns = o.getMetadata().getNamespace();
        return o.getKind() + " " + (ns == null ? "" : ns + "/") + o.getMetadata().getName();
    }

    private static boolean isEmpty(Map<?, ?> map) {
        return map == null || map.isEmpty();
    }

    private static Map<String, String> nullToEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
