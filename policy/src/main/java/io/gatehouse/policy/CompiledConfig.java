package io.gatehouse.policy;

import io.gatehouse.policy.eval.PolicyEvaluator;
import io.gatehouse.policy.eval.RouteTable;
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
     * Selects the route for the request's URL and evaluates its policy; no route is a deny with route null, and so
     * is a path that names a route's prefix only in other letter case ({@link RouteTable}).
     */
    public Decision decide(Request request) {
        return decideRouted(request).decision();
    }

    /** As {@link #decide}, with the route the decision was made for (null when none served the request). */
    public RoutedDecision decideRouted(Request request) {
        RouteTable.Lookup lookup = table.lookup(request.url());
        if (lookup.route() != null) {
            return new RoutedDecision(PolicyEvaluator.decide(lookup.route(), request), lookup.route());
        }
        return new RoutedDecision(lookup.caseMismatch() != null
                ? PolicyEvaluator.routeCaseMismatch(request, lookup.caseMismatch())
                : PolicyEvaluator.noRoute(request), null);
    }

    /** The route serving {@code url}: host, effective port, longest path prefix at a segment boundary. */
    public Optional<Route> selectRoute(URI url) {
        return table.select(url);
    }

    public List<Route> routes() {
        return routes;
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
            for (Rule rule : route.policy().deny()) {
                read = read.plus(rule.body().claimsRead());
            }
            for (Rule rule : route.policy().allow()) {
                read = read.plus(rule.body().claimsRead());
            }
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
