package io.gatehouse.policy.bench;

import io.gatehouse.policy.CompiledConfig;
import io.gatehouse.policy.Decision;
import io.gatehouse.policy.Disagreement;
import io.gatehouse.policy.DevicePosture;
import io.gatehouse.policy.Identity;
import io.gatehouse.policy.Request;
import io.gatehouse.policy.RoutedDecision;
import io.gatehouse.policy.TrustLevel;
import io.gatehouse.policy.load.PolicyLoader;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of shadow policies (docs/performance.md, "Shadow policies"): {@code decideRouted} on the generated config
 * of {@link PolicyBenchmark} without shadows, and with every route carrying a {@code shadow:} that is a copy of its
 * policy (agrees) or a copy that no longer admits the finance group (would deny, with every reason built). Run:
 * {@code ./mvnw -B -ntp -q -pl policy -Pbench test-compile exec:exec -Dbench.args="ShadowBenchmark -f 1 -wi 3 -i 5"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ShadowBenchmark {

    CompiledConfig plain;
    CompiledConfig agreeing;
    CompiledConfig disagreeing;
    Request allow;

    @Setup
    public void setUp() {
        String yaml = GeneratedConfig.yaml(PolicyBenchmark.ROUTES);
        plain = PolicyLoader.load("bench.yaml", yaml).config();
        agreeing = PolicyLoader.load("bench.yaml", withShadows(yaml, false)).config();
        disagreeing = PolicyLoader.load("bench.yaml", withShadows(yaml, true)).config();
        Identity finance = new Identity("u-17", "pat@corp.example", List.of("staff", "finance"), Map.of(),
                Instant.parse("2026-11-24T09:20:00Z"));
        DevicePosture laptop = new DevicePosture("dev-42", true, true, TrustLevel.HIGH, true, true, "macOS", "15.3",
                "pat@corp.example", Instant.parse("2026-11-24T08:00:00Z"));
        allow = new Request("GET", URI.create("https://app-26.corp.example/reports/q3"), "10.20.1.7",
                Instant.parse("2026-11-24T09:30:00Z"), finance, laptop);
        check(plain.decideRouted(allow), false, null);
        check(agreeing.decideRouted(allow), true, null);
        check(disagreeing.decideRouted(allow), true, Disagreement.WOULD_DENY);
        if (!agreeing.decide(allow).equals(plain.decide(allow))) {
            throw new IllegalStateException("a shadow changed the enforced decision");
        }
    }

    private static void check(RoutedDecision routed, boolean shadowed, Disagreement expected) {
        if (!"rule-26-allow-finance".equals(routed.decision().rule()) || (routed.shadow() != null) != shadowed
                || !Objects.equals(routed.disagreement(), expected)) {
            throw new IllegalStateException("benchmark request decides " + routed);
        }
    }

    /**
     * Copies each route's {@code policy:} block as its {@code shadow:}, rule names prefixed {@code shadow-}; with
     * {@code narrower}, the copy's finance and office rules no longer hold for pat@corp.example in finance.
     */
    static String withShadows(String yaml, boolean narrower) {
        StringBuilder out = new StringBuilder();
        StringBuilder policy = null;
        for (String line : (yaml + "  - id: end\n").split("\n")) {
            if (line.startsWith("  - id: ") && policy != null) {
                out.append("    shadow:\n").append(policy);
                policy = null;
            }
            if (line.equals("  - id: end")) {
                break;
            }
            out.append(line).append('\n');
            if (line.equals("    policy:")) {
                policy = new StringBuilder();
            } else if (policy != null) {
                String copy = line.replace("name: rule-", "name: shadow-rule-");
                if (narrower) {
                    copy = copy.replace("groups: [finance, ", "groups: [").replace("domains: [corp.example]",
                            "domains: [partner.example]");
                }
                policy.append(copy).append('\n');
            }
        }
        return out.toString();
    }

    /** The baseline: a config without shadows. */
    @Benchmark
    public RoutedDecision decideRoutedWithoutShadow() {
        return plain.decideRouted(allow);
    }

    /** The route's shadow is a copy of its policy: one extra evaluation, same outcome. */
    @Benchmark
    public RoutedDecision decideRoutedShadowAgrees() {
        return agreeing.decideRouted(allow);
    }

    /** The shadow would deny: one extra evaluation that fails every allow rule and builds every reason. */
    @Benchmark
    public RoutedDecision decideRoutedShadowWouldDeny() {
        return disagreeing.decideRouted(allow);
    }

    /** {@code decide} (the CLI's, the tests') on a shadowed config evaluates the policy only. */
    @Benchmark
    public Decision decideIgnoresShadow() {
        return agreeing.decide(allow);
    }
}
