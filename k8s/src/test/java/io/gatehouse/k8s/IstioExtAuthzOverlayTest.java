package io.gatehouse.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code overlays/istio-ext-authz}: the Istio ingress gateway asks Gatehouse's decision service on every request
 * (docs/design-next.md §2.2, §2.7; docs/deploy-kubernetes.md "Istio ext_authz"). Read from the rendered overlay and
 * from the mesh config it ships for istiod ({@code istiod-values.yaml}), cross-checked against each other.
 */
class IstioExtAuthzOverlayTest {

    private static final String OVERLAY = "overlays/istio-ext-authz";
    private static final String INGRESS_PRINCIPAL =
            "cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account";
    private static final Map<String, String> INGRESS_PODS = Map.of("istio", "ingressgateway");

    private final List<HasMetadata> rendered = Kustomize.render(OVERLAY);
    private final Workloads set = new Workloads(rendered);

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(HasMetadata o) {
        return (Map<String, Object>) ((GenericKubernetesResource) o).getAdditionalProperties().get("spec");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    private HasMetadata custom(String kind, String namespace, String name) {
        return set.ofKind(kind).stream()
                .filter(o -> namespace.equals(o.getMetadata().getNamespace()) && name.equals(o.getMetadata().getName()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + namespace + "/" + name));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> provider() throws IOException {
        String yaml = Files.readString(Kustomize.K8S.resolve(OVERLAY).resolve("istiod-values.yaml"));
        Map<String, Object> values = Serialization.unmarshal(yaml, Map.class);
        List<Object> providers = list(map(values.get("meshConfig")).get("extensionProviders"));
        assertThat(providers).hasSize(1);
        return map(providers.get(0));
    }

    private Container gatewayContainer() {
        return set.find(Deployment.class, "gatehouse", "gateway").orElseThrow()
                .getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private String env(String name) {
        return gatewayContainer().getEnv().stream().filter(e -> name.equals(e.getName()))
                .map(EnvVar::getValue).findFirst().orElse(null);
    }

    @Test
    void providerWhenReadThenGrpcToTheDecisionServiceWithATimeoutAndFailClosed() throws IOException {
        Map<String, Object> provider = provider();
        Map<String, Object> grpc = map(provider.get("envoyExtAuthzGrpc"));

        assertThat(provider).containsEntry("name", "gatehouse");
        assertThat(grpc).containsEntry("service", "gateway-authz.gatehouse.svc.cluster.local")
                .containsEntry("port", 9191)
                .containsEntry("failOpen", false)
                .containsEntry("statusOnError", "503");
        assertThat((String) grpc.get("timeout")).isEqualTo("0.5s");
        // The provider's service and port are a rendered Service whose port reaches the gateway's gRPC listener.
        Service authz = set.find(Service.class, "gatehouse", "gateway-authz").orElseThrow();
        var port = authz.getSpec().getPorts().stream().filter(p -> p.getPort() == 9191).findFirst().orElseThrow();
        assertThat(port.getAppProtocol()).isEqualTo("grpc");
        assertThat(gatewayContainer().getPorts()).anySatisfy(cp -> {
            assertThat(cp.getName()).isEqualTo(port.getTargetPort().getStrVal());
            assertThat(cp.getContainerPort()).isEqualTo(9191);
        });
        assertThat(env("GATEHOUSE_AUTHZ_GRPC_PORT")).isEqualTo("9191");
    }

    @Test
    void decisionListenerWhenRenderedThenAllAddressesPlainAndTrustingOnlyTheSidecar() {
        assertThat(env("GATEHOUSE_AUTHZ_ADDRESS")).isEqualTo("0.0.0.0");
        assertThat(env("GATEHOUSE_AUTHZ_TLS_ENABLED")).isEqualTo("false");
        assertThat(gatewayContainer().getEnv()).filteredOn(e -> e.getName().startsWith("GATEHOUSE_AUTHZ_CALLERS_"))
                .extracting(EnvVar::getName, EnvVar::getValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("GATEHOUSE_AUTHZ_CALLERS_0_CIDRS_0",
                        "127.0.0.6/32"), org.assertj.core.groups.Tuple.tuple("GATEHOUSE_AUTHZ_CALLERS_0_NAME",
                        "istio-ingressgateway"));
        // Plain gRPC to Gatehouse is safe only behind a sidecar that enforces mesh mTLS on that port.
        HasMetadata gatewayPeers = custom("PeerAuthentication", "gatehouse", "gateway-public-listener");
        assertThat(map(spec(gatewayPeers).get("mtls"))).containsEntry("mode", "STRICT");
        assertThat(map(spec(gatewayPeers).get("portLevelMtls"))).doesNotContainKey("9191");
        // The public Service does not carry it.
        assertThat(set.find(Service.class, "gatehouse", "gateway").orElseThrow().getSpec().getPorts())
                .extracting(p -> p.getPort()).containsExactly(443);
    }

    @Test
    @SuppressWarnings("unchecked")
    void ingressWhenRenderedThenEveryRequestButGatehousePagesGoesToTheProviderThroughACustomPolicy() throws IOException {
        HasMetadata policy = custom("AuthorizationPolicy", "istio-system", "gatehouse-ext-authz");

        assertThat(spec(policy)).containsEntry("action", "CUSTOM")
                .containsEntry("provider", Map.of("name", provider().get("name")));
        assertThat(map(spec(policy).get("selector")).get("matchLabels")).isEqualTo(INGRESS_PODS);
        List<Object> rules = list(spec(policy).get("rules"));
        assertThat(rules).singleElement().satisfies(rule -> {
            Map<String, Object> r = map(rule);
            assertThat(r).containsOnlyKeys("to");   // no from/when: every caller, every host
            Map<String, Object> operation = map(map(list(r.get("to")).get(0)).get("operation"));
            assertThat(operation).containsOnlyKeys("notPaths");
            assertThat(list(operation.get("notPaths"))).containsExactly("/.gatehouse/*");
        });
        // The excepted paths are exactly the ones routed to Gatehouse's public listener, with the Host kept.
        HasMetadata vs = custom("VirtualService", "gatehouse", "hello");
        assertThat(list(spec(vs).get("gateways"))).containsExactly("istio-system/gatehouse-public");
        List<Object> http = list(spec(vs).get("http"));
        Map<String, Object> pages = map(http.get(0));
        assertThat(list(pages.get("match"))).containsExactly(Map.of("uri", Map.of("prefix", "/.gatehouse/")));
        assertThat(map(list(pages.get("route")).get(0)).get("destination"))
                .isEqualTo(Map.of("host", "gateway.gatehouse.svc.cluster.local", "port", Map.of("number", 443)));
        assertThat(pages).doesNotContainKeys("headers", "rewrite");
        assertThat(set.find(Service.class, "gatehouse", "gateway").orElseThrow().getSpec().getPorts())
                .anySatisfy(p -> assertThat(p.getPort()).isEqualTo(443));
        // Device certificates are verified by the ingress gateway (OPTIONAL_MUTUAL) and reach Gatehouse in XFCC.
        HasMetadata gateway = custom("Gateway", "istio-system", "gatehouse-public");
        assertThat(map(spec(gateway).get("selector"))).isEqualTo(INGRESS_PODS);
        Map<String, Object> tls = map(map(list(spec(gateway).get("servers")).get(0)).get("tls"));
        assertThat(tls).containsEntry("mode", "OPTIONAL_MUTUAL");
    }

    @Test
    void decisionPortWhenRenderedThenOnlyTheIngressGatewayPodsMayConnect() {
        List<NetworkPolicy> admitting = set.ofType(NetworkPolicy.class).stream()
                .filter(p -> "gatehouse".equals(p.getMetadata().getNamespace()))
                .filter(p -> Workloads.selects(p.getSpec().getPodSelector().getMatchLabels() == null ? Map.of()
                        : p.getSpec().getPodSelector().getMatchLabels(), Map.of("app.kubernetes.io/name", "gateway")))
                .filter(p -> p.getSpec().getIngress().stream().anyMatch(r -> r.getPorts().isEmpty()
                        || r.getPorts().stream().anyMatch(port -> port.getPort() != null
                                && Integer.valueOf(9191).equals(port.getPort().getIntVal()))))
                .toList();

        assertThat(admitting).extracting(p -> p.getMetadata().getName()).containsExactly("gateway-authz");
        var rule = admitting.get(0).getSpec().getIngress();
        assertThat(rule).singleElement().satisfies(r -> {
            assertThat(r.getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(9191);
            assertThat(r.getFrom()).singleElement().satisfies(peer -> {
                assertThat(peer.getIpBlock()).isNull();
                assertThat(peer.getNamespaceSelector().getMatchLabels())
                        .isEqualTo(Map.of("kubernetes.io/metadata.name", "istio-system"));
                assertThat(peer.getPodSelector().getMatchLabels()).isEqualTo(INGRESS_PODS);
            });
        });
    }

    @Test
    void decisionPortWhenRenderedThenTheMeshAllowsOnlyTheIngressIdentityAndKeepsTheOtherPortsCallers() {
        HasMetadata allow = custom("AuthorizationPolicy", "gatehouse", "gateway-authz-callers");

        assertThat(spec(allow)).containsEntry("action", "ALLOW");
        assertThat(map(spec(allow).get("selector")).get("matchLabels"))
                .isEqualTo(Map.of("app.kubernetes.io/name", "gateway"));
        Map<String, List<Object>> fromByPort = list(spec(allow).get("rules")).stream().map(IstioExtAuthzOverlayTest::map)
                .collect(Collectors.toMap(
                        r -> (String) list(map(map(list(r.get("to")).get(0)).get("operation")).get("ports")).get(0),
                        r -> r.containsKey("from") ? list(r.get("from")) : List.of()));
        assertThat(fromByPort).containsOnlyKeys("9191", "8443", "9090");
        assertThat(fromByPort.get("9191")).containsExactly(Map.of("source", Map.of("principals",
                List.of(INGRESS_PRINCIPAL))));
        // An ALLOW policy denies everything it does not match: the public listener and Prometheus keep their way in.
        assertThat(fromByPort.get("8443")).isEmpty();
        assertThat(fromByPort.get("9090")).containsExactly(Map.of("source", Map.of("namespaces",
                List.of("monitoring"))));
    }

    @Test
    @SuppressWarnings("unchecked")
    void appsWhenRenderedThenTheIngressGatewayReachesThemNextToGatehouse() {
        HasMetadata apps = custom("AuthorizationPolicy", "gatehouse-apps", "only-gateway");
        List<Object> principals = list(spec(apps).get("rules")).stream()
                .flatMap(r -> list(map(r).get("from")).stream())
                .flatMap(f -> list(map(map(f).get("source")).get("principals")).stream()).toList();
        assertThat(principals).containsExactlyInAnyOrder("cluster.local/ns/gatehouse/sa/gateway", INGRESS_PRINCIPAL);

        NetworkPolicy fromGateway = set.find(NetworkPolicy.class, "gatehouse-apps", "from-gateway-only").orElseThrow();
        assertThat(fromGateway.getSpec().getIngress()).singleElement().satisfies(r -> assertThat(r.getFrom())
                .extracting(peer -> peer.getPodSelector().getMatchLabels())
                .containsExactlyInAnyOrder(Map.of("app.kubernetes.io/name", "gateway"), INGRESS_PODS));
        // The egress half of the patched policy is the base's (the JWKS from the gateway).
        assertThat(fromGateway.getSpec().getEgress()).singleElement()
                .satisfies(e -> assertThat(e.getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(8443));
    }

    @Test
    void gatewayWhenRenderedThenItIsTheLaunchedBaseOnePlusTheDecisionListener() {
        // ManifestLaunchIT launches the base's Deployments; this overlay's differ only by the decision listener.
        List<HasMetadata> base = Kustomize.render("base");
        Deployment withoutListener = Serialization.clone(
                set.find(Deployment.class, "gatehouse", "gateway").orElseThrow());
        Container c = withoutListener.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getEnv().removeIf(e -> e.getName().startsWith("GATEHOUSE_AUTHZ_"))).isTrue();
        assertThat(c.getPorts().removeIf(p -> "authz-grpc".equals(p.getName()))).isTrue();

        assertThat(Serialization.asYaml(withoutListener)).isEqualTo(Serialization.asYaml(
                new Workloads(base).find(Deployment.class, "gatehouse", "gateway").orElseThrow()));
        for (String other : List.of("device-inventory")) {
            assertThat(Serialization.asYaml(set.find(Deployment.class, "gatehouse", other).orElseThrow()))
                    .isEqualTo(Serialization.asYaml(new Workloads(base).find(Deployment.class, "gatehouse", other)
                            .orElseThrow()));
        }
    }
}
