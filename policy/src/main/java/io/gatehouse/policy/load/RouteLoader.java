package io.gatehouse.policy.load;

import io.gatehouse.policy.Mode;
import io.gatehouse.policy.criteria.LetterCase;
import io.gatehouse.policy.model.Policy;
import io.gatehouse.policy.model.Route;
import io.gatehouse.policy.model.Rule;
import io.gatehouse.policy.parse.Nodes;
import io.gatehouse.policy.parse.ParseContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads {@code routes:}: each route's id, from, to, mode, audience, policy and shadow policy. Checks what only the
 * whole list can show: duplicate ids, two routes with the same {@code from}, duplicate rule names within a route's
 * policy (the shadow policy is a separate candidate, so its names are checked among its own rules only). A shadow
 * is read by the same code as the policy, so its errors are found in the same pass, with their positions.
 */
final class RouteLoader {
    private static final List<String> ROUTE_KEYS = List.of("id", "from", "to", "mode", "audience", "policy",
            "shadow");
    private static final List<String> POLICY_KEYS = List.of("allow", "deny");
    private static final Pattern ID = Pattern.compile("[a-z0-9-]+");

    private RouteLoader() {
    }

    static List<Route> routes(Node node, ParseContext c) {
        List<Route> routes = new ArrayList<>();
        if (!(node instanceof SequenceNode seq)) {
            c.error(node, "expected a list of routes, found %s", Nodes.describe(node));
            return routes;
        }
        Map<String, Route> byId = new HashMap<>();
        Map<String, Route> byFrom = new HashMap<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            Node item = seq.getValue().get(i);
            ParseContext rc = c.index(i);
            Route route = route(item, rc);
            if (route == null) {
                continue;
            }
            if (byId.putIfAbsent(route.id(), route) != null) {
                rc.key("id").error(Nodes.valueOf(item, "id"), "duplicate route id \"%s\"", route.id());
                continue;
            }
            // Keyed ignoring case: an upstream that ignores case could not tell /Admin from /admin, and route
            // selection refuses a path that matches a prefix only in other case (RouteTable).
            String from = route.host() + ":" + route.port() + LetterCase.fold(route.pathPrefix());
            Route other = byFrom.putIfAbsent(from, route);
            if (other != null && other.pathPrefix().equals(route.pathPrefix())) {
                rc.key("from").error(Nodes.valueOf(item, "from"), "route %s already serves %s", other.id(),
                        route.from());
                continue;
            }
            if (other != null) {
                rc.key("from").error(Nodes.valueOf(item, "from"), "route %s already serves %s, which differs only in"
                        + " letter case; path prefixes of one host must differ in more than case", other.id(),
                        other.from());
                continue;
            }
            routes.add(route);
        }
        return routes;
    }

    private static @Nullable Route route(Node node, ParseContext c) {
        Map<String, Nodes.Entry> map = Nodes.mapping(node, c, ROUTE_KEYS);
        if (map == null) {
            return null;
        }
        boolean ok = true;
        for (String required : List.of("id", "from", "to")) {
            if (!map.containsKey(required)) {
                c.error(node, "missing key \"%s\"", required);
                ok = false;
            }
        }
        String id = map.containsKey("id") ? id(map.get("id").value(), c.key("id")) : null;
        URI from = map.containsKey("from") ? url(map.get("from").value(), c.key("from"), true) : null;
        URI to = map.containsKey("to") ? url(map.get("to").value(), c.key("to"), false) : null;
        Mode mode = Mode.ENFORCE;
        if (map.containsKey("mode")) {
            mode = mode(map.get("mode").value(), c.key("mode"));
        }
        String audience = id;
        if (map.containsKey("audience")) {
            audience = Nodes.string(map.get("audience").value(), c.key("audience"));
            ok &= audience != null;
        }
        Policy policy = map.containsKey("policy") ? policy(map.get("policy").value(), c.key("policy")) : Policy.NONE;
        // Absent: no shadow, nothing extra is evaluated. Present but empty: a candidate that denies everything.
        Policy shadow = map.containsKey("shadow") ? policy(map.get("shadow").value(), c.key("shadow")) : null;
        ok &= !map.containsKey("shadow") || shadow != null;
        if (!ok || id == null || from == null || to == null || mode == null || audience == null || policy == null) {
            return null;
        }
        return new Route(id, from, to, mode, audience, policy, shadow);
    }

    private static @Nullable String id(Node node, ParseContext c) {
        String id = Nodes.string(node, c);
        if (id != null && !ID.matcher(id).matches()) {
            c.error(node, "\"%s\" is not a route id; use lower-case letters, digits and - ([a-z0-9-]+)", id);
            return null;
        }
        return id;
    }

    private static @Nullable Mode mode(Node node, ParseContext c) {
        String text = Nodes.string(node, c);
        if (text == null) {
            return null;
        }
        for (Mode m : Mode.values()) {
            if (m.wireName().equals(text)) {
                return m;
            }
        }
        c.error(node, "\"%s\" is not one of enforce, audit", text);
        return null;
    }

    /** {@code from}: scheme://host[:port][/path-prefix]; {@code to}: scheme://host[:port][/path]; http(s) only. */
    private static @Nullable URI url(Node node, ParseContext c, boolean isFrom) {
        String text = Nodes.string(node, c);
        if (text == null) {
            return null;
        }
        String shape = isFrom ? "scheme://host[:port][/path-prefix]" : "an absolute http(s) URL";
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            c.error(node, "\"%s\" is not a URL (%s); expected %s", text, e.getReason(), shape);
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String problem = null;
        if (!uri.isAbsolute() || uri.getHost() == null) {
            problem = "is not an absolute URL with a host";
        } else if (!scheme.equals("http") && !scheme.equals("https")) {
            problem = "has scheme " + scheme + "; only http and https";
        } else if (uri.getRawUserInfo() != null) {
            problem = "must not carry user info";
        } else if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            problem = "must not have a query or fragment";
        } else if (isFrom && uri.getPath().contains("*")) {
            problem = "path prefix must not contain globs; put them in the rules' paths";
        }
        if (problem != null) {
            c.error(node, "\"%s\" %s; expected %s", text, problem, shape);
            return null;
        }
        return uri;
    }

    private static @Nullable Policy policy(Node node, ParseContext c) {
        if (node instanceof ScalarNode s && Nodes.isNull(s)) {
            return Policy.NONE;
        }
        Map<String, Nodes.Entry> map = Nodes.mapping(node, c, POLICY_KEYS);
        if (map == null) {
            return null;
        }
        Set<String> names = new HashSet<>();
        List<Rule> allow = rules(map.get("allow"), c.key("allow").denying(false), names);
        List<Rule> deny = rules(map.get("deny"), c.key("deny").denying(true), names);
        return allow == null || deny == null ? null : new Policy(allow, deny);
    }

    private static @Nullable List<Rule> rules(Nodes.@Nullable Entry entry, ParseContext c, Set<String> names) {
        List<Rule> rules = new ArrayList<>();
        if (entry == null) {
            return rules;
        }
        if (!(entry.value() instanceof SequenceNode seq)) {
            c.error(entry.value(), "expected a list of rules, found %s", Nodes.describe(entry.value()));
            return null;
        }
        boolean ok = true;
        for (int i = 0; i < seq.getValue().size(); i++) {
            Node item = seq.getValue().get(i);
            Rule rule = RuleLoader.rule(item, c.index(i));
            ScalarNode nameNode = RuleLoader.nameNode(item);
            if (nameNode != null && !names.add(nameNode.getValue())) {
                c.index(i).key("name").error(nameNode, "duplicate rule name \"%s\" in this route", nameNode.getValue());
                ok = false;
            }
            ok &= rule != null;
            if (rule != null) {
                rules.add(rule);
            }
        }
        return ok ? rules : null;
    }
}
