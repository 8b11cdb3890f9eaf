package io.gatehouse.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The controls each overlay exists for, read from its rendered objects. */
class OverlayControlsTest {

    private static final String GATEWAY_PRINCIPAL = "cluster.local/ns/gatehouse/sa/gateway";

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(HasMetadata o) {
        return (Map<String, Object>) ((GenericKubernetesResource) o).getAdditionalProperties().get("spec");
    }

    @Test
    void eksWhenRenderedThenInventoryUsesIrsaAndNoNodeRole() {
        Workloads set = new Workloads(Kustomize.render("overlays/eks"));

        ServiceAccount inventory = set.find(ServiceAccount.class, "gatehouse", "device-inventory").orElseThrow();
        assertThat(inventory.getMetadata().getAnnotations())
                .containsKey("eks.amazonaws.com/role-arn");
        assertThat(inventory.getMetadata().getAnnotations().get("eks.amazonaws.com/role-arn"))
                .matches("arn:aws:iam::\\d{12}:role/.+");
        ServiceAccount gateway = set.find(ServiceAccount.class, "gatehouse", "gateway").orElseThrow();
        assertThat(gateway.getMetadata().getAnnotations()).isNullOrEmpty();
    }

    @Test
    void eksWhenRenderedThenEverySecretTheDeploymentsUseComesFromExternalSecrets() {
        Workloads set = new Workloads(Kustomize.render("overlays/eks"));

        Set<String> provided = set.ofKind("ExternalSecret").stream()
                .map(o -> (String) ((Map<?, ?>) spec(o).get("target")).get("name"))
                .collect(Collectors.toSet());
        // The listener's certificate is cert-manager's, not a stored secret.
        set.ofKind("Certificate").forEach(o -> provided.add((String) spec(o).get("secretName")));
        Set<String> used = set.ofType(Deployment.class).stream()
                .flatMap(d -> {
                    var pod = d.getSpec().getTemplate().getSpec();
                    var fromVolumes = pod.getVolumes().stream()
                            .filter(v -> v.getSecret() != null).map(v -> v.getSecret().getSecretName());
                    var fromEnv = pod.getContainers().stream().flatMap(c -> c.getEnv().stream())
                            .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                            .map(e -> e.getValueFrom().getSecretKeyRef().getName());
                    return java.util.stream.Stream.concat(fromVolumes, fromEnv);
                })
                .collect(Collectors.toSet());

        assertThat(used).contains("gateway-signing-keys", "gateway-tls", "gateway-device-ca", "gateway-clients",
                "gateway-redis", "device-inventory-db");
        assertThat(provided).containsAll(used);
    }

    @Test
    void eksWhenRenderedThenDatabaseAccessIsBySecurityGroupForInventoryPodsOnly() {
        Workloads set = new Workloads(Kustomize.render("overlays/eks"));

        List<HasMetadata> sgPolicies = set.ofKind("SecurityGroupPolicy");
        assertThat(sgPolicies).singleElement().satisfies(p -> {
            Map<?, ?> selector = (Map<?, ?>) ((Map<?, ?>) spec(p).get("podSelector")).get("matchLabels");
            assertThat(selector).isEqualTo(Map.of("app.kubernetes.io/name", "device-inventory"));
            assertThat(((Map<?, ?>) spec(p).get("securityGroups")).get("groupIds")).asList().isNotEmpty();
        });
        Service gateway = set.find(Service.class, "gatehouse", "gateway").orElseThrow();
        assertThat(gateway.getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(gateway.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactly(443);
    }

    @Test
    void istioWhenRenderedThenMtlsIsStrictInEveryNamespace() {
        Workloads set = new Workloads(Kustomize.render("overlays/istio"));

        Set<String> strictNamespaces = set.ofKind("PeerAuthentication").stream()
                .filter(p -> spec(p).get("selector") == null)
                .filter(p -> "STRICT".equals(((Map<?, ?>) spec(p).get("mtls")).get("mode")))
                .map(p -> p.getMetadata().getNamespace())
                .collect(Collectors.toSet());
        assertThat(strictNamespaces).containsExactlyInAnyOrder("gatehouse", "gatehouse-apps");
    }

    @Test
    @SuppressWarnings("unchecked")
    void istioWhenRenderedThenOnlyTheGatewayIdentityReachesTheApps() {
        Workloads set = new Workloads(Kustomize.render("overlays/istio"));

        HasMetadata apps = set.ofKind("AuthorizationPolicy").stream()
                .filter(p -> "gatehouse-apps".equals(p.getMetadata().getNamespace()))
                .findFirst().orElseThrow();
        assertThat(spec(apps)).containsEntry("action", "ALLOW").doesNotContainKey("selector");
        List<Map<String, Object>> rules = (List<Map<String, Object>>) spec(apps).get("rules");
        List<Object> principals = rules.stream()
                .flatMap(r -> ((List<Map<String, Object>>) r.get("from")).stream())
                .flatMap(f -> ((List<Object>) ((Map<String, Object>) f.get("source")).get("principals")).stream())
                .toList();
        assertThat(principals).containsExactly(GATEWAY_PRINCIPAL);
        // The principal names a ServiceAccount that exists, in the namespace it says.
        assertThat(set.find(ServiceAccount.class, "gatehouse", "gateway")).isPresent();
    }

    @Test
    @SuppressWarnings("unchecked")
    void ciliumWhenRenderedThenGatewayMayOnlyReadPostureFromInventory() {
        Workloads set = new Workloads(Kustomize.render("overlays/cilium"));

        assertThat(set.find(NetworkPolicy.class, "gatehouse", "device-inventory")).isEmpty();
        HasMetadata cnp = set.ofKind("CiliumNetworkPolicy").stream().findFirst().orElseThrow();
        List<Map<String, Object>> ingress = (List<Map<String, Object>>) spec(cnp).get("ingress");
        Map<String, Object> fromGateway = ingress.stream()
                .filter(r -> r.get("fromEndpoints").toString().contains("app.kubernetes.io/name=gateway"))
                .findFirst().orElseThrow();
        List<Map<String, Object>> ports = (List<Map<String, Object>>) fromGateway.get("toPorts");
        List<Object> http = (List<Object>) ((Map<String, Object>) ports.get(0).get("rules")).get("http");
        assertThat(http).containsExactly(Map.of("method", "GET", "path", "/v1/posture"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void policiesWhenRenderedThenEveryControlIsAuditedClusterWide() {
        List<HasMetadata> policies = Kustomize.render("policies");

        assertThat(policies).allSatisfy(p -> {
            assertThat(p.getKind()).isEqualTo("ClusterPolicy");
            assertThat(p.getMetadata().getNamespace()).isNull();
            assertThat(spec(p)).containsEntry("validationFailureAction", "Audit");
        });
        String all = policies.stream().map(p -> spec(p).toString()).collect(Collectors.joining("\n"));
        assertThat(all).contains("runAsNonRoot=true", "readOnlyRootFilesystem=true", "allowPrivilegeEscalation=false",
                "capabilities.drop", "RuntimeDefault", "limits", "@sha256:", "ghcr.io/gatehouse/", "!default");
    }
}
