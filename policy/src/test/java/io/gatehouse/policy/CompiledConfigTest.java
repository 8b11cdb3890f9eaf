package io.gatehouse.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.policy.load.LoadResult;
import io.gatehouse.policy.load.PolicyLoader;
import io.gatehouse.policy.model.Route;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompiledConfigTest {
    private static final String YAML = """
            routes:
              - id: payroll
                from: https://payroll.corp.example
                to: http://payroll.internal:8080
                policy:
                  allow:
                    - name: finance-on-good-devices
                      groups: [finance]
                      device: { trust: high }
                      methods: [GET, POST]
                  deny:
                    - name: admin-only-from-office
                      paths: ["/admin/**"]
                      not: { source_ips: ["10.20.0.0/16"] }
              - id: payroll-api
                from: https://payroll.corp.example/api/v2
                to: http://payroll-api.internal:8080
                mode: audit
                audience: payroll-api-aud
              - id: wiki
                from: https://wiki.corp.example:8443/
                to: http://wiki.internal
            """;

    private final CompiledConfig config = load();

    private static CompiledConfig load() {
        LoadResult result = PolicyLoader.load("gatehouse.yaml", YAML);
        assertThat(result.render()).isEmpty();
        return result.config();
    }

    private static Request request(String url, String ip, Identity identity, DevicePosture device) {
        return new Request("GET", URI.create(url), ip, Instant.parse("2026-11-23T09:30:00Z"), identity, device);
    }

    private static Identity finance() {
        return new Identity("u-17", "pat@corp.example", List.of("finance"), Map.of(), null);
    }

    private static DevicePosture device(TrustLevel trust) {
        return new DevicePosture("dev-42", true, true, trust, true, true, "macOS", "15.3", "pat@corp.example", null);
    }

    @Test
    void selectRouteWhenPathPrefixIsLongestThenItWins() {
        assertThat(config.selectRoute(URI.create("https://PAYROLL.corp.example/api/v2/x")).map(Route::id)).hasValue("payroll-api");
        assertThat(config.selectRoute(URI.create("https://payroll.corp.example/api/v2")).map(Route::id)).hasValue("payroll-api");
        assertThat(config.selectRoute(URI.create("https://payroll.corp.example/api/v2x")).map(Route::id)).hasValue("payroll");
    }

    @Test
    void selectRouteWhenPortDiffersThenNoRoute() {
        assertThat(config.selectRoute(URI.create("https://wiki.corp.example/"))).isEmpty();
        assertThat(config.selectRoute(URI.create("https://wiki.corp.example:8443/a")).map(Route::id)).hasValue("wiki");
        assertThat(config.selectRoute(URI.create("https://payroll.corp.example:443/")).map(Route::id)).hasValue("payroll");
    }

    @Test
    void decideWhenFinanceUserOnHighTrustDeviceThenAllowed() {
        Decision d = config.decide(request("https://payroll.corp.example/", "1.2.3.4", finance(), device(TrustLevel.HIGH)));
        assertThat(d.outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(d.rule()).isEqualTo("finance-on-good-devices");
    }

    @Test
    void decideWhenDenyRuleMatchesThenDenyWins() {
        Decision d = config.decide(request("https://payroll.corp.example/admin/x", "1.2.3.4", finance(), device(TrustLevel.HIGH)));
        assertThat(d.outcome()).isEqualTo(Outcome.DENY);
        assertThat(d.rule()).isEqualTo("admin-only-from-office");
        assertThat(d.reasons()).extracting(Reason::text).containsExactly("path /admin/x matches /admin/**",
                "source ip is 1.2.3.4, rule admin-only-from-office needs one of [10.20.0.0/16]");
    }

    @Test
    void decideWhenTrustTooLowThenNoAllowRuleMatched() {
        Decision d = config.decide(request("https://payroll.corp.example/", "10.20.1.7", finance(), device(TrustLevel.BASIC)));
        assertThat(d.reasons()).extracting(Reason::text).containsExactly("no allow rule matched",
                "device trust is basic, rule finance-on-good-devices needs high");
        assertThat(d.rule()).isNull();
    }

    @Test
    void decideWhenRouteHasNoPolicyInAuditModeThenDenyIsNotEnforced() {
        Decision d = config.decide(request("https://payroll.corp.example/api/v2/x", "10.20.1.7", finance(), null));
        assertThat(d.outcome()).isEqualTo(Outcome.DENY);
        assertThat(d.enforced()).isFalse();
        assertThat(d.letThrough()).isTrue();
        assertThat(config.routes().get(1).audience()).isEqualTo("payroll-api-aud");
        assertThat(config.routes().get(0).audience()).isEqualTo("payroll");
    }

    @Test
    void decideRoutedWhenRouteServesThenItIsTheDecisionsRouteAndNullWhenNone() {
        RoutedDecision served = config.decideRouted(request("https://payroll.corp.example/api/v2/x", "10.20.1.7",
                finance(), null));
        RoutedDecision none = config.decideRouted(request("https://nowhere.corp.example/", "10.20.1.7", null, null));

        assertThat(served.route()).isSameAs(config.routes().get(1));
        assertThat(served.decision().route()).isEqualTo(served.route().id());
        assertThat(none.route()).isNull();
        assertThat(none.decision().route()).isNull();
    }

    @Test
    void decideWhenNoRouteThenDenyWithNullRoute() {
        Decision d = config.decide(request("https://nowhere.corp.example/", "10.20.1.7", null, null));
        assertThat(d.route()).isNull();
        assertThat(d.outcome()).isEqualTo(Outcome.DENY);
    }

    @Test
    void decideWhenCalledFromManyThreadsThenEveryDecisionIsTheSame() throws Exception {
        Request request = request("https://payroll.corp.example/admin/x", "1.2.3.4", finance(), device(TrustLevel.HIGH));
        Decision expected = config.decide(request);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Decision>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                futures.add(pool.submit(() -> config.decide(request)));
            }
            for (var f : futures) {
                assertThat(f.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void versionIsSha256OfTheFile() {
        assertThat(config.version()).hasSize(64).isEqualTo(CompiledConfig.sha256(YAML.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
