package io.gatehouse.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checks can fail: each test breaks one rule in a copy of the rendered base and expects exactly that
 * violation. Without these, an empty violation list would prove nothing.
 */
class ChecksCatchViolationsTest {

    private static final String BASE = Kustomize.renderYaml("base");

    private static List<String> violationsAfter(String from, String to) {
        assertThat(BASE).contains(from);
        return Checks.all(Kustomize.parse(BASE.replaceFirst(java.util.regex.Pattern.quote(from), to)));
    }

    @Test
    void checkWhenRootFilesystemWritableThenReported() {
        assertThat(violationsAfter("readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false"))
                .singleElement().asString().contains("readOnlyRootFilesystem is not true");
    }

    @Test
    void checkWhenPrivilegeEscalationAllowedThenReported() {
        assertThat(violationsAfter("allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true"))
                .singleElement().asString().contains("allowPrivilegeEscalation is not false");
    }

    @Test
    void checkWhenCapabilitiesKeptThenReported() {
        assertThat(violationsAfter("- ALL", "- NET_RAW"))
                .singleElement().asString().contains("capabilities do not drop ALL");
    }

    @Test
    void checkWhenImageByTagThenReported() {
        assertThat(violationsAfter("ghcr.io/gatehouse/hello-app@sha256:", "ghcr.io/gatehouse/hello-app:latest#"))
                .anySatisfy(v -> assertThat(v).contains("is not pinned by digest"));
    }

    @Test
    void checkWhenUnknownFieldThenReported() {
        assertThat(violationsAfter("replicas: 2", "replicaz: 2"))
                .singleElement().asString().contains("unknown field(s) [replicaz]");
    }

    @Test
    void checkWhenWrongTypeThenParsingFails() {
        assertThatThrownBy(() -> Kustomize.parse(BASE.replaceFirst("replicas: 2", "replicas: three")))
                .hasMessageContaining("three");
    }

    @Test
    void checkWhenDefaultServiceAccountThenReported() {
        assertThat(violationsAfter("serviceAccountName: hello-app", "serviceAccountName: default"))
                .anySatisfy(v -> assertThat(v).contains("runs under the default ServiceAccount"));
    }

    @Test
    void checkWhenTokenMountedThenReported() {
        assertThat(violationsAfter("automountServiceAccountToken: false", "automountServiceAccountToken: true"))
                .singleElement().asString().contains("automountServiceAccountToken is not false");
    }

    @Test
    void checkWhenDefaultDenyMissingThenReported() {
        assertThat(violationsAfter("name: default-deny\n  namespace: gatehouse-apps\nspec:\n  podSelector: {}",
                "name: default-deny\n  namespace: gatehouse-apps\nspec:\n  podSelector:\n    matchLabels:\n      x: y"))
                .singleElement().asString()
                .isEqualTo("Namespace gatehouse-apps: no default-deny NetworkPolicy for Ingress and Egress");
    }

    @Test
    void checkWhenSecretCarriesDataThenReported() {
        String withSecret = BASE + "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: leaked\n  namespace: gatehouse\n"
                + "data:\n  key: c2VjcmV0\n";
        assertThat(Checks.all(Kustomize.parse(withSecret)))
                .singleElement().asString().contains("carries secret data");
    }

    @Test
    void checkWhenClusterScopedObjectHasNamespaceThenReported() {
        String policy = "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: p\n  namespace: gatehouse\n"
                + "spec:\n  rules: []\n";
        assertThat(Checks.scope(Kustomize.parse(policy)))
                .singleElement().asString().contains("must not carry namespace");
    }

    @Test
    void checkWhenProbeOnPublicPortThenReported() {
        String broken = BASE.replaceFirst("port: management\n", "port: http\n");
        assertThat(Checks.all(Kustomize.parse(broken)))
                .singleElement().asString().contains("is not on the port named management");
    }

    @Test
    void checkWhenGatewayHasNoPreStopThenReported() {
        assertThat(violationsAfter("preStop:", "postStart:"))
                .singleElement().asString().contains("no preStop sleep");
    }

    @Test
    void checkWhenGracePeriodShorterThanTheDrainsThenReported() {
        assertThat(violationsAfter("terminationGracePeriodSeconds: 50", "terminationGracePeriodSeconds: 40"))
                .singleElement().asString().contains("terminationGracePeriodSeconds 40 is not longer than"
                        + " preStop + HTTP drain + decision-log drain = 40 s");
    }

    @Test
    void checkWhenExternalSecretOnV1beta1ThenReported() {
        String eks = Kustomize.renderYaml("overlays/eks");
        String old = eks.replaceFirst("apiVersion: external-secrets.io/v1\n", "apiVersion: external-secrets.io/v1beta1\n");
        assertThat(old).isNotEqualTo(eks);
        assertThat(Checks.typedAndKnown(Kustomize.parse(old)))
                .singleElement().asString().contains("unknown kind external-secrets.io/v1beta1/");
    }

    @Test
    void checkWhenReplicatedGatewayHasNoRedisThenReported() {
        assertThat(violationsAfter("name: SPRING_DATA_REDIS_URL", "name: SESSIONS_URL"))
                .singleElement().asString().contains("2 replicas but no SPRING_DATA_REDIS_* setting");
    }

    private static final String EKS = Kustomize.renderYaml("overlays/eks");

    private static List<String> eksViolationsAfter(String regex, String to) {
        String broken = EKS.replaceFirst(regex, to);
        assertThat(broken).isNotEqualTo(EKS);
        return Checks.all(Kustomize.parse(broken));
    }

    @Test
    void checkWhenEksAsIsThenProxyProtocolIsOnAtBothEnds() {
        assertThat(EKS).contains(Checks.PROXY_PROTOCOL_ANNOTATION, Checks.TRUSTED_ADDRESSES_ENV);
        assertThat(Checks.all(Kustomize.parse(EKS))).isEmpty();
    }

    @Test
    void checkWhenServiceAsksForProxyProtocolButGatewayTrustsNoAddressThenReported() {
        assertThat(eksViolationsAfter("name: " + Checks.TRUSTED_ADDRESSES_ENV + "\n",
                "name: GATEHOUSE_PROXY_TRUSTED\n"))
                .singleElement().asString().contains("Service gatehouse/gateway asks its load balancer for PROXY"
                        + " protocol", "sets no " + Checks.TRUSTED_ADDRESSES_ENV);
    }

    @Test
    void checkWhenGatewayTrustsAddressesButServiceAsksForNoProxyProtocolThenReported() {
        assertThat(eksViolationsAfter("\\n *" + java.util.regex.Pattern.quote(Checks.PROXY_PROTOCOL_ANNOTATION)
                        + ": [^\\n]*", ""))
                .singleElement().asString().contains("trusts PROXY headers from [10.0.0.0/24, 10.0.1.0/24,"
                        + " 10.0.2.0/24]", "does not ask its load balancer to send them");
    }

    @Test
    void checkWhenPublicPortAdmittedBeyondTheTrustedAddressesThenReported() {
        assertThat(eksViolationsAfter("cidr: 10\\.0\\.0\\.0/24\n", "cidr: 10.0.0.0/16\n"))
                .singleElement().asString().contains("NetworkPolicy gatehouse/gateway admits the gateway's port 8443"
                        + " from more than its PROXY protocol trusted addresses");
    }

    private static final String EXT_AUTHZ = Kustomize.renderYaml("overlays/istio-ext-authz");

    private static List<String> extAuthzViolationsAfter(String regex, String to) {
        String broken = EXT_AUTHZ.replaceFirst(regex, to);
        assertThat(broken).isNotEqualTo(EXT_AUTHZ);
        return Checks.all(Kustomize.parse(broken));
    }

    @Test
    void checkWhenIstioExtAuthzAsIsThenTheDecisionPortIsClosedToAllButItsCallers() {
        assertThat(EXT_AUTHZ).contains("GATEHOUSE_AUTHZ_GRPC_PORT");
        assertThat(Checks.all(Kustomize.parse(EXT_AUTHZ))).isEmpty();
    }

    @Test
    void checkWhenPublicServiceExposesTheDecisionPortThenReported() {
        assertThat(extAuthzViolationsAfter("(name: gateway\n  namespace: gatehouse\nspec:\n  ports:\n)",
                "$1  - name: authz\n    port: 9191\n    targetPort: authz-grpc\n"))
                .singleElement().asString().isEqualTo("Service gatehouse/gateway (the public one) exposes the decision"
                        + " port authz-grpc");
    }

    @Test
    void checkWhenDecisionPortAdmittedFromAnywhereThenReported() {
        assertThat(extAuthzViolationsAfter("(name: gateway-authz\n  namespace: gatehouse\nspec:\n  ingress:\n)"
                        + "  - from:\n(?:    [^\n]*\n)*?    ports:", "$1  - ports:"))
                .singleElement().asString().isEqualTo("NetworkPolicy gatehouse/gateway-authz admits the decision port"
                        + " 9191 of Deployment gatehouse/gateway from anywhere");
    }

    @Test
    void checkWhenNoPolicyAdmitsTheDecisionPortThenReported() {
        assertThat(extAuthzViolationsAfter("- port: 9191\n      protocol: TCP", "- port: 9192\n      protocol: TCP"))
                .singleElement().asString().isEqualTo("Deployment gatehouse/gateway: no NetworkPolicy admits its"
                        + " decision port 9191 from its callers");
    }

    @Test
    void checkWhenPlainDecisionPortTrustsMoreThanTheSidecarThenReported() {
        assertThat(extAuthzViolationsAfter("value: 127\\.0\\.0\\.6/32", "value: 10.0.0.0/8"))
                .singleElement().asString().isEqualTo("Deployment gatehouse/gateway: the decision service runs without"
                        + " TLS (GATEHOUSE_AUTHZ_TLS_ENABLED=false) and trusts [10.0.0.0/8] beyond the sidecar's"
                        + " [127.0.0.6/32]");
    }
}
