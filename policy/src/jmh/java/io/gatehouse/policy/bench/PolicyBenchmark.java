package io.gatehouse.policy.bench;

import io.gatehouse.policy.CompiledConfig;
import io.gatehouse.policy.Decision;
import io.gatehouse.policy.DevicePosture;
import io.gatehouse.policy.Identity;
import io.gatehouse.policy.Request;
import io.gatehouse.policy.TrustLevel;
import io.gatehouse.policy.load.LoadResult;
import io.gatehouse.policy.load.PolicyLoader;
import io.gatehouse.policy.model.Route;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Route selection plus evaluation on a generated config of 50 routes and 250 rules (docs/performance.md).
 * Run: {@code ./mvnw -B -ntp -q -pl policy -Pbench test-compile exec:exec -Dbench.args="-f 1 -wi 3 -i 5"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PolicyBenchmark {
    static final int ROUTES = 50;

    String yaml;
    String yamlWithoutCel;
    CompiledConfig config;
    Request allow;
    Request denyNoAllowRule;
    Request denyByDenyRule;
    Request allowCel;
    Request denyCel;
    URI selectUrl;

    @Setup
    public void setUp() {
        yaml = GeneratedConfig.yaml(ROUTES);
        yamlWithoutCel = GeneratedConfig.yaml(ROUTES, false);
        LoadResult result = PolicyLoader.load("bench.yaml", yaml);
        config = result.config();
        Instant now = Instant.parse("2026-11-24T09:30:00Z");
        Identity finance = new Identity("u-17", "pat@corp.example", List.of("staff", "finance"), Map.of(),
                Instant.parse("2026-11-24T09:20:00Z"));
        Identity sales = new Identity("u-18", "sam@corp.example", List.of("staff", "sales"), Map.of(), null);
        DevicePosture laptop = new DevicePosture("dev-42", true, true, TrustLevel.HIGH, true, true, "macOS", "15.3",
                "pat@corp.example", Instant.parse("2026-11-24T08:00:00Z"));
        allow = new Request("GET", URI.create("https://app-26.corp.example/reports/q3"), "10.20.1.7", now, finance, laptop);
        denyNoAllowRule = new Request("GET", URI.create("https://app-26.corp.example/reports/q3"), "198.51.100.7", now, sales, laptop);
        denyByDenyRule = new Request("GET", URI.create("https://app-26.corp.example/admin/users"), "198.51.100.7", now, finance, laptop);
        allowCel = new Request("GET", URI.create("https://app-24.corp.example/reports/q3"), "10.20.1.7", now, sales, laptop);
        denyCel = new Request("POST", URI.create("https://app-24.corp.example/reports/q3"), "10.20.1.7", now, sales, laptop);
        selectUrl = URI.create("https://app-24.corp.example/api/v25/items/7");
        check(allow, "allow", "rule-26-allow-finance");
        check(denyNoAllowRule, "deny", null);
        check(denyByDenyRule, "deny", "rule-26-deny-admin");
        check(allowCel, "allow", "rule-24-allow-cel");
        check(denyCel, "deny", null);
        if (!config.selectRoute(selectUrl).map(Route::id).equals(Optional.of("app-25"))) {
            throw new IllegalStateException("select URL picks " + config.selectRoute(selectUrl));
        }
    }

    private void check(Request request, String outcome, String rule) {
        Decision d = config.decide(request);
        if (!d.outcome().wireName().equals(outcome) || !java.util.Objects.equals(d.rule(), rule)) {
            throw new IllegalStateException("benchmark request decides " + d + ", expected " + outcome + " " + rule);
        }
    }

    @Benchmark
    public Decision decideAllow() {
        return config.decide(allow);
    }

    @Benchmark
    public Decision decideDenyNoAllowRule() {
        return config.decide(denyNoAllowRule);
    }

    @Benchmark
    public Decision decideDenyByDenyRule() {
        return config.decide(denyByDenyRule);
    }

    @Benchmark
    public Decision decideAllowWithCel() {
        return config.decide(allowCel);
    }

    @Benchmark
    public Decision decideDenyWithCel() {
        return config.decide(denyCel);
    }

    @Benchmark
    public Optional<Route> selectRoute() {
        return config.selectRoute(selectUrl);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public LoadResult loadConfig() {
        return PolicyLoader.load("bench.yaml", yaml);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public LoadResult loadConfigWithoutCel() {
        return PolicyLoader.load("bench.yaml", yamlWithoutCel);
    }
}
