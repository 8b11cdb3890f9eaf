package io.gatehouse.k8s.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.gatehouse.k8s.Kustomize;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rendered manifests start: the base's three Deployments run as the real packaged jars with exactly their env,
 * args, ports, probes and mounted ConfigMaps/Secrets ({@link LaunchedPod}), each becomes ready on its readinessProbe,
 * and a request through the gateway with the rendered routes reaches hello-app, which verifies the assertion; one
 * without a device is denied with reasons. The istio and cilium overlays render the same Deployments and ConfigMaps, so
 * this launch is theirs too (asserted, not relaunched). The eks overlay differs from the base in the gateway only
 * (asserted): its gateway is launched too, next to the base's inventory and hello-app, behind a {@link ServiceProxy}
 * acting as the NLB with PROXY protocol v2 ({@link #EKS_NLB_SUBNETS}). Broken copies of the manifest (a misspelt
 * variable, a wrong probe port, a missing mount) fail the launch with a message that says why.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManifestLaunchIT {

    /**
     * Under /var/tmp, not the module's target/: the pods run as uid 10001 and PostgreSQL as postgres, and a checkout's
     * parent directories need not let them in (a clone under {@code mktemp -d} is 0700). Not under /tmp: the pods
     * mount an emptyDir there, and a root below a mount path would be rewritten again.
     */
    private static final Path DIR = traversableTempDir();
    private static final String HOST = "hello.corp.example";

    /**
     * The eks overlay's placeholder NLB subnets ({@code overlays/eks/gateway-proxy-protocol.yaml}) and the loopback
     * ranges they stand for here: the one rewrite of the eks gateway's manifest besides the mount paths
     * ({@link LaunchedPod}), applied to {@code GATEHOUSE_LISTENER_PROXYPROTOCOL_TRUSTEDADDRESSES} only. The NLB
     * stand-in connects from the first range, as an NLB node in zone a would; an entry not in this map fails the test.
     */
    private static final Map<String, String> EKS_NLB_SUBNETS = Map.of("10.0.0.0/24", "127.0.10.0/24",
            "10.0.1.0/24", "127.0.11.0/24", "10.0.2.0/24", "127.0.12.0/24");
    private static final ServiceProxy.Nlb NLB = new ServiceProxy.Nlb("127.0.10.1", "203.0.113.7");
    private static final String TRUSTED = "GATEHOUSE_LISTENER_PROXYPROTOCOL_TRUSTEDADDRESSES";

    private LaunchEnvironment world;
    private LaunchedStack stack;
    private List<HasMetadata> base;
    private List<HasMetadata> eksRendered;
    private LaunchedStack eks;

    @BeforeAll
    void launchTheBase() throws Exception {
        requireRoot();
        deleteRecursively(DIR);   // a fresh database and PKI each run
        base = Kustomize.render("base");
        world = LaunchEnvironment.start(DIR.resolve("world"), gatewayDnsNames(base));
        world.warmUp();
        stack = LaunchedStack.launch(base, world, DIR.resolve("base"), 2, List.of());
        enrolDevice();
        eksRendered = Kustomize.render("overlays/eks");
        eks = LaunchedStack.launch(withLoopbackNlbSubnets(eksRendered), world, DIR.resolve("eks"), 6,
                List.of("gateway"), stack, NLB);
    }

    @AfterAll
    void stop() {
        try (var w = world; var s = stack; var e = eks) {
            // the eks gateway first, then the base, then the world
        }
    }

    @Test
    void launchWhenBaseRenderedThenEveryPortListensAndEveryProbeAnswers() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String name : List.of("gateway", "device-inventory", "hello-app")) {
            LaunchedPod pod = stack.pod(name);
            assertThat(pod.closedPorts()).as(name + " container ports").isEmpty();
            var c = pod.container();
            for (var probe : new io.fabric8.kubernetes.api.model.Probe[] {c.getLivenessProbe(), c.getStartupProbe()}) {
                if (probe != null) {
                    var status = http.send(HttpRequest.newBuilder(pod.probeUri(probe)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                    assertThat(status).as(name + " " + pod.probeUri(probe)).isEqualTo(200);
                }
            }
        }
        // The environment is the Deployment's: same names, nothing the launch made up besides the kubelet's own.
        assertThat(stack.pod("gateway").environment().keySet()).containsAll(envNames(base, "gateway"));
        assertThat(new TreeSet<>(stack.pod("gateway").environment().keySet()))
                .containsExactlyElementsOf(withKubelet(envNames(base, "gateway")));
    }

    @Test
    void requestWhenEmployeeOnEnrolledDeviceThenAllowedAndHelloAppVerifiesTheAssertion() throws Exception {
        Curl.Result r = untilNot503(() -> curl(true, "/whoami.json", "Authorization: Bearer " + userToken(),
                "Accept: application/json"));

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"email\":\"pat@corp.example\"", "\"issuer\":\"https://gatehouse.corp.example\"",
                "\"audience\":\"hello\"", "\"id\":\"launch-laptop\"");
    }

    @Test
    void requestWhenNoDevicePresentedThenDeniedWithReasons() throws Exception {
        Curl.Result r = untilNot503(() -> curl(false, "/whoami.json", "Authorization: Bearer " + userToken(),
                "Accept: application/json"));

        assertThat(r.status()).as(r.body()).isEqualTo(403);
        assertThat(r.body()).contains("\"reasons\"", "no allow rule matched", "no device presented");
    }

    @Test
    void navigationWhenNoSessionThenSentToTheIdpAndTheLoginKeptInRedis() throws Exception {
        Curl.Result r = untilNot503(() -> curl(true, "/", "Accept: text/html"));

        assertThat(r.status()).as(r.body()).isEqualTo(302);
        assertThat(r.headers()).containsIgnoringCase("location: " + LaunchEnvironment.ISSUER
                + "/protocol/openid-connect/auth?").contains("client_id=gatehouse-gateway");
        assertThat(world.databases().redisKeys("gatehouse:*")).as("keys in Redis").contains("gatehouse:session:");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"overlays/istio", "overlays/cilium"})
    void overlayWhenRenderedThenItsDeploymentsAndConfigMapsAreTheLaunchedOnes(String overlay) {
        List<HasMetadata> rendered = Kustomize.render(overlay);

        assertThat(yaml(rendered, Deployment.class)).isEqualTo(yaml(base, Deployment.class));
        assertThat(yaml(rendered, ConfigMap.class)).isEqualTo(yaml(base, ConfigMap.class));
    }

    @Test
    void eksWhenRenderedThenOnlyTheGatewayDiffersAndOnlyByItsTrustedAddresses() {
        List<HasMetadata> others = eksRendered.stream()
                .filter(o -> !(o instanceof Deployment d && d.getMetadata().getName().equals("gateway"))).toList();
        List<HasMetadata> baseOthers = base.stream()
                .filter(o -> !(o instanceof Deployment d && d.getMetadata().getName().equals("gateway"))).toList();
        assertThat(yaml(others, Deployment.class)).hasSize(2).isEqualTo(yaml(baseOthers, Deployment.class));
        assertThat(yaml(eksRendered, ConfigMap.class)).isEqualTo(yaml(base, ConfigMap.class));

        List<HasMetadata> withoutTrust = Kustomize.render("overlays/eks");
        assertThat(container(withoutTrust, "gateway").getEnv().removeIf(e -> e.getName().equals(TRUSTED))).isTrue();
        assertThat(yaml(withoutTrust, Deployment.class)).isEqualTo(yaml(base, Deployment.class));
        // The launched eks gateway ran with exactly its manifest's environment.
        assertThat(new TreeSet<>(eks.pod("gateway").environment().keySet()))
                .containsExactlyElementsOf(withKubelet(envNames(eksRendered, "gateway")));
        assertThat(eks.pod("gateway").environment().get(TRUSTED))
                .isEqualTo("127.0.10.0/24,127.0.11.0/24,127.0.12.0/24");
    }

    @Test
    void eksWhenRequestThroughTheNlbThenAllowedAndJudgedAsTheClientInTheProxyHeader() throws Exception {
        String nlb = eks.serviceAddress("gateway.gatehouse");
        assertThat(nlb).startsWith("127.0.7.");

        Curl.Result r = untilNot503(() -> curl(nlb + ":443", true, "/whoami.json", "Authorization: Bearer "
                + userToken(), "Accept: application/json"));

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"email\":\"pat@corp.example\"", "\"id\":\"launch-laptop\"");
        // The decision log (the eks gateway's stdout) judged the header's client, never the NLB's own address.
        LaunchedPod gateway = eks.pod("gateway");
        Awaitility.await("the decision-log line").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> gateway.logText().contains("\"source_ip\":\"" + NLB.clientAddress() + "\""));
        assertThat(gateway.logText()).doesNotContain("\"source_ip\":\"" + NLB.sourceAddress() + "\"");
    }

    @Test
    void eksWhenConnectingToThePodFromOutsideTheNlbSubnetsThenRefusedEvenWithAProxyHeader() throws Exception {
        // From 127.0.0.1, outside every trusted range, straight to the pod's public port: closed before TLS, with no
        // header and with a header of its own (a client pretending to be 10.0.0.1). The same connection through the
        // NLB stand-in is the allowed request above.
        LaunchedPod gateway = eks.pod("gateway");
        String pod = gateway.address() + ":" + gateway.port(new IntOrString("https"));
        double before = untrustedRefusals(gateway);

        assertRefused(pod);
        try (var spoofing = new ServiceProxy("127.0.13.1", 443, gateway.address(),
                gateway.port(new IntOrString("https")), new ServiceProxy.Nlb("127.0.0.1", "10.0.0.1"))) {
            assertRefused("127.0.13.1:443");
        }

        Awaitility.await("two refusals counted").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .until(() -> untrustedRefusals(gateway) >= before + 2);
    }

    private void assertRefused(String addressAndPort) throws Exception {
        Process p = new ProcessBuilder(curlCommand(addressAndPort, true, "/whoami.json", "Authorization: Bearer "
                + userToken())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(40, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(addressAndPort + ": " + out).isIn(35, 52, 56);   // TLS error, empty reply, reset
        assertThat(out).doesNotContain("HTTP/");
    }

    /** {@code gatehouse_listener_connections_refused_total{reason="proxy-protocol-untrusted"}}, 0 if absent. */
    private static double untrustedRefusals(LaunchedPod gateway) throws Exception {
        URI metrics = URI.create("http://" + gateway.address() + ":" + gateway.port(new IntOrString("management"))
                + "/actuator/prometheus");
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^gatehouse_listener_connections_refused_total"
                + "\\{[^}]*reason=\"proxy-protocol-untrusted\"[^}]*\\} (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    @SuppressWarnings("unchecked")
    void eksWhenRenderedThenExternalSecretsAndTheCertificateMakeExactlyTheLaunchedSecrets() {
        List<HasMetadata> eks = Kustomize.render("overlays/eks");
        Map<String, Set<String>> made = new LinkedHashMap<>();
        for (HasMetadata o : eks) {
            Map<String, Object> spec = (Map<String, Object>) ((o instanceof GenericKubernetesResource g)
                    ? g.getAdditionalProperties().get("spec") : null);
            if ("ExternalSecret".equals(o.getKind())) {
                Map<String, Object> target = (Map<String, Object>) spec.get("target");
                Map<String, Object> template = (Map<String, Object>) target.get("template");
                Set<String> keys = new TreeSet<>();
                if (template != null) {
                    keys.addAll(((Map<String, Object>) template.get("data")).keySet());
                } else {
                    ((List<Map<String, Object>>) spec.get("data")).forEach(d -> keys.add((String) d.get("secretKey")));
                }
                made.put("gatehouse/" + target.get("name"), keys);
            } else if ("Certificate".equals(o.getKind())) {
                made.put("gatehouse/" + spec.get("secretName"), new TreeSet<>(Set.of("ca.crt", "tls.crt", "tls.key")));
            }
        }

        assertThat(made).isEqualTo(world.files().secretKeys());
    }

    @Test
    void launchWhenAnEnvVarIsMisspeltThenTheGatewayRefusesToStart() {
        List<HasMetadata> broken = Kustomize.render("base");
        container(broken, "gateway").getEnv().stream()
                .filter(e -> e.getName().equals("GATEHOUSE_DECISION_LOG_DRAIN_TIMEOUT")).findFirst().orElseThrow()
                .setName("GATEHOUSE_DECISION_LOG_DRAIN_TIMEOT");

        assertThatThrownBy(() -> launchAlone(broken, "gateway", 4))
                .isInstanceOf(LaunchFailure.class)
                .hasMessageContaining("gateway exited")
                .hasMessageContaining("GATEHOUSE_DECISION_LOG_DRAIN_TIMEOT");
    }

    @Test
    void readinessWhenTheProbePortIsWrongThenNeverReady() {
        // The running hello-app judged by a copy of its manifest whose readinessProbe names the API port: the kubelet
        // would never see it ready (starting a second hello-app for this would only add a minute of CPU).
        List<HasMetadata> broken = Kustomize.render("base");
        var c = container(broken, "hello-app");
        c.getReadinessProbe().getHttpGet().setPort(new IntOrString(8080));
        LaunchedPod judged = stack.pod("hello-app").judgedBy(c);

        assertThatThrownBy(() -> judged.awaitReady(Duration.ofSeconds(60), Duration.ofSeconds(5)))
                .isInstanceOf(LaunchFailure.class)
                .hasMessageContaining("readinessProbe http://" + stack.pod("hello-app").address()
                        + ":8080/actuator/health/readiness failed (HTTP 401)")
                .hasMessageContaining("after the application reported that it had started");
    }

    @Test
    void launchWhenAMountIsMissingThenTheGatewayFailsOnTheFile() {
        List<HasMetadata> broken = Kustomize.render("base");
        container(broken, "gateway").getVolumeMounts().removeIf(m -> m.getName().equals("signing-keys"));

        assertThatThrownBy(() -> launchAlone(broken, "gateway", 8))
                .isInstanceOf(LaunchFailure.class)
                .hasMessageContaining("gateway exited")
                .hasMessageContaining("/etc/gatehouse/signing/signing.pem");
    }

    private void launchAlone(List<HasMetadata> rendered, String deployment, int net) {
        try (LaunchedStack s = LaunchedStack.launch(rendered, world, DIR.resolve("broken-" + net), net,
                List.of(deployment))) {
            throw new AssertionError(deployment + " became ready although its manifest is broken");
        }
    }

    /**
     * The first requests make the gateway fetch the IdP's discovery document and keys (2 s connect, 5 s response)
     * and a posture token, and the inventory the IdP's keys; on a machine as loaded as a shared CI runner these can
     * time out, which the gateway answers with 503 (issuer unavailable) or counts as "device inventory unreachable"
     * (1 s posture timeout; failures are not cached). Those two answers are asked again, for at most 90 s; any other
     * answer is the one the test judges.
     */
    private static Curl.Result untilNot503(java.util.concurrent.Callable<Curl.Result> request) {
        Curl.Result[] last = {null};
        Awaitility.await("an answer other than a transient failure").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> {
                    last[0] = request.call();
                    return last[0].status() != 503 && !last[0].body().contains("device inventory unreachable");
                });
        return last[0];
    }

    private Curl.Result curl(boolean device, String path, String... headers) throws IOException, InterruptedException {
        return curl(stack.serviceAddress("gateway.gatehouse") + ":443", device, path, headers);
    }

    private Curl.Result curl(String addressAndPort, boolean device, String path, String... headers)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(curlCommand(addressAndPort, device, path, headers)).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(40, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return Curl.Result.parse(out);
    }

    /** curl to {@code https://hello.corp.example<path>} on {@code address:port}, trusting the internal CA. */
    private List<String> curlCommand(String addressAndPort, boolean device, String path, String... headers) {
        int colon = addressAndPort.lastIndexOf(':');
        String port = addressAndPort.substring(colon + 1);
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "30", "-D", "-",
                "--resolve", HOST + ":" + port + ":" + addressAndPort.substring(0, colon),
                "--cacert", world.pki().file("internal-ca.crt").toString()));
        if (device) {
            command.addAll(List.of("--cert", world.pki().file("device.crt").toString(),
                    "--key", world.pki().file("device.key").toString()));
        }
        for (String h : headers) {
            command.addAll(List.of("-H", h));
        }
        command.add("https://" + HOST + ("443".equals(port) ? "" : ":" + port) + path);
        return command;
    }

    /**
     * The eks overlay as launched here: its placeholder NLB subnets in the gateway's trusted addresses replaced by
     * the loopback ranges of {@link #EKS_NLB_SUBNETS}; nothing else changes.
     */
    private static List<HasMetadata> withLoopbackNlbSubnets(List<HasMetadata> rendered) {
        List<HasMetadata> copy = Kustomize.render("overlays/eks");
        var env = container(copy, "gateway").getEnv().stream().filter(e -> e.getName().equals(TRUSTED)).findFirst()
                .orElseThrow(() -> new AssertionError("the eks gateway sets no " + TRUSTED));
        List<String> loopback = new ArrayList<>();
        for (String cidr : env.getValue().split(",")) {
            String mapped = EKS_NLB_SUBNETS.get(cidr.strip());
            if (mapped == null) {
                throw new AssertionError(TRUSTED + " names " + cidr + ", which the launch does not map to loopback;"
                        + " add it to EKS_NLB_SUBNETS");
            }
            loopback.add(mapped);
        }
        env.setValue(String.join(",", loopback));
        assertThat(yaml(copy, Deployment.class)).hasSameSizeAs(yaml(rendered, Deployment.class));
        return copy;
    }

    private String userToken() {
        // As Keycloak issues it after a login: typ Bearer in the payload.
        return world.idp().rs256(claims -> claims.subject("pat").audience("gatehouse-api").claim("typ", "Bearer")
                .claim("email", "pat@corp.example").claim("email_verified", true).claim("groups", List.of("finance")));
    }

    /** As the MDM would: the device with the launch's client certificate, managed, with a fresh good report. */
    @SuppressWarnings("unchecked")
    private void enrolDevice() throws Exception {
        String token = world.idp().clientToken("launch-admin", "devices:write devices:report-any");
        URI inventory = URI.create("http://" + stack.serviceAddress("device-inventory.gatehouse") + ":8080");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String device = "{\"owner\":\"pat@corp.example\",\"os\":\"macOS\",\"os_version\":\"15.3\",\"managed\":true,"
                + "\"cert_sha256\":[\"" + world.pki().fingerprint("device.crt") + "\"]}";
        String report = "{\"disk_encrypted\":true,\"screen_lock\":true,\"os_version\":\"15.3\"}";
        for (var call : List.of(new String[] {"PUT", "/v1/devices/launch-laptop", device},
                new String[] {"POST", "/v1/devices/launch-laptop/reports", report})) {
            HttpRequest request = HttpRequest.newBuilder(inventory.resolve(call[1])).timeout(Duration.ofSeconds(20))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .method(call[0], HttpRequest.BodyPublishers.ofString(call[2])).build();
            // 503 issuer-unavailable while the inventory's first JWKS fetch times out on a loaded machine.
            HttpResponse<String>[] r = new HttpResponse[1];
            Awaitility.await(call[0] + " " + call[1]).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> {
                        r[0] = http.send(request, HttpResponse.BodyHandlers.ofString());
                        return r[0].statusCode() != 503;
                    });
            assertThat(r[0].statusCode()).as(call[0] + " " + call[1] + ": " + r[0].body()).isIn(200, 201);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> gatewayDnsNames(List<HasMetadata> rendered) {
        return rendered.stream().filter(o -> "Certificate".equals(o.getKind())
                        && "gateway-tls".equals(o.getMetadata().getName()))
                .map(o -> (List<String>) ((Map<String, Object>) ((GenericKubernetesResource) o)
                        .getAdditionalProperties().get("spec")).get("dnsNames"))
                .findFirst().orElseThrow(() -> new AssertionError("no Certificate gateway-tls in the base"));
    }

    private static io.fabric8.kubernetes.api.model.Container container(List<HasMetadata> rendered, String name) {
        return rendered.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .filter(d -> d.getMetadata().getName().equals(name)).findFirst().orElseThrow()
                .getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static List<String> envNames(List<HasMetadata> rendered, String name) {
        return container(rendered, name).getEnv().stream().map(e -> e.getName()).toList();
    }

    private static List<String> withKubelet(List<String> names) {
        TreeSet<String> all = new TreeSet<>(names);
        all.addAll(List.of("KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT", "HOSTNAME", "HOME"));
        return new ArrayList<>(all);
    }

    private static List<String> yaml(List<HasMetadata> rendered, Class<? extends HasMetadata> type) {
        return rendered.stream().filter(type::isInstance).map(Serialization::asYaml).sorted().toList();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (java.nio.file.Files.exists(dir)) {
            try (var paths = java.nio.file.Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.delete(p);
                }
            }
        }
    }

    private static void requireRoot() throws IOException, InterruptedException {
        Process id = new ProcessBuilder("id", "-u").start();
        String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        id.waitFor(10, TimeUnit.SECONDS);
        if (!"0".equals(uid)) {
            throw new IllegalStateException("the launch needs root: it runs each pod as its runAsUser (setpriv), in"
                    + " its own mount namespace (unshare) for /etc/hosts, PostgreSQL as the postgres user, and binds"
                    + " port 443 on loopback; run scripts/test as root (CI does)");
        }
    }

    private static Path traversableTempDir() {
        try {
            Path dir = Files.createTempDirectory(Path.of("/var/tmp"), "gatehouse-launch-");
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
