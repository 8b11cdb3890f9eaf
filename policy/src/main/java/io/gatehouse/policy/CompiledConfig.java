package io.gatehouse.policy;

import io.gatehouse.policy.eval.PolicyEvaluator;
import io.gatehouse.policy.eval.RouteTable;
import io.gatehouse.policy.model.Policy;
import io.gatehouse.policy.model.Route;
import io.gatehouse.policy.model.Rule;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A loaded, validated {@code gatehouse.yaml}, ready to decide: routes with their policies compiled (globs,
 * CIDRs, CEL programs), a route table, and the sha256 of the file it came from. Immutable and thread-safe;
 * the gateway swaps whole instances on reload. Build it with {@link io.gatehouse.policy.load.PolicyLoader}.
 */
public final class CompiledConfig {
    private final List<Route> routes;
    private final RouteTable table;
    private final String version;
    private final ClaimsRead claimsRead;

    public CompiledConfig(List<Route> routes, String version) {
        this.routes = List.copyOf(routes);
        this.table = new RouteTable(this.routes);
        this.version = Objects.requireNonNull(version, "version");
        this.claimsRead = claimsRead(this.routes);
    }

    /**
     * Selects the route for the request's URL and evaluates its policy (never its shadow: {@link #decideRouted}); no
     * route is a deny with route null, and so is a path that names a route's prefix only in other letter case
     * ({@link RouteTable}).
     */
    public Decision decide(Request request) {
        RouteTable.Lookup lookup = table.lookup(request.url());
        return lookup.route() != null ? PolicyEvaluator.decide(lookup.route(), request) : unrouted(request, lookup);
    }

    /**
     * As {@link #decide}, with the route the decision was made for (null when none served the request) and, when
     * that route has a shadow policy, what the shadow would decide (docs/policy.md, "Shadow policy"), from the same
     * route lookup. A route without a shadow evaluates nothing more.
     */
    public RoutedDecision decideRouted(Request request) {
        RouteTable.Lookup lookup = table.lookup(request.url());
        Route route = lookup.route();
        if (route != null) {
            Decision decision = PolicyEvaluator.decide(route, request);
            return new RoutedDecision(decision, route,
                    route.shadow() == null ? null : PolicyEvaluator.decideShadow(route, request));
        }
        return new RoutedDecision(unrouted(request, lookup), null);
    }

    private static Decision unrouted(Request request, RouteTable.Lookup lookup) {
        return lookup.caseMismatch() != null
                ? PolicyEvaluator.routeCaseMismatch(request, lookup.caseMismatch())
                : PolicyEvaluator.noRoute(request);
    }

    /** The route serving {@code url}: host, effective port, longest path prefix at a segment boundary. */
    public Optional<Route> selectRoute(URI url) {
        return table.select(url);
    }

    public List<Route> routes() {
        return routes;
    }

    /** How many routes carry a shadow policy. */
    public long shadowedRoutes() {
        return routes.stream().filter(r -> r.shadow() != null).count();
    }

    /** The sha256 (hex) of the loaded file's bytes, for the decision log's {@code policy.version}. */
    public String version() {
        return version;
    }

    /**
     * The token claims some rule of this config can read ({@link ClaimsRead}): what the decision log captures of a
     * caller's claims, and what a replay needs a line to have captured.
     */
    public ClaimsRead claimsRead() {
        return claimsRead;
    }

    private static ClaimsRead claimsRead(List<Route> routes) {
        ClaimsRead read = ClaimsRead.NONE;
        for (Route route : routes) {
            read = read.plus(claimsRead(route.policy()));
            if (route.shadow() != null) {
                // a shadow is decided on live traffic too: its claims are facts a replay of its verdict needs
                read = read.plus(claimsRead(route.shadow()));
            }
        }
        return read;
    }

    private static ClaimsRead claimsRead(Policy policy) {
        ClaimsRead read = ClaimsRead.NONE;
        for (Rule rule : policy.deny()) {
            read = read.plus(rule.body().claimsRead());
        }
        for (Rule rule : policy.allow()) {
            read = read.plus(rule.body().claimsRead());
        }
        return read;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
