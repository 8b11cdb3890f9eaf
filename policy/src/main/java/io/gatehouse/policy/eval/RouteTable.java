package io.gatehouse.policy.eval;

import io.gatehouse.policy.model.Route;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Route selection (DESIGN.md, "Configuration"): the route whose {@code from} host equals the URL's host
 * (case-insensitive), whose effective port equals the URL's effective port (the scheme's default when the URL
 * or {@code from} names none), and whose path prefix is the longest one matching at a segment boundary
 * ({@code /v2} matches {@code /v2} and {@code /v2/x}, never {@code /v2x}). Built once per config; lookups are a
 * hash probe and a short scan.
 */
public final class RouteTable {
    private record Entry(Route route, int port, String prefix) {
    }

    private final Map<String, Entry[]> byHost;

    public RouteTable(List<Route> routes) {
        Map<String, List<Entry>> grouped = new HashMap<>();
        for (Route r : routes) {
            grouped.computeIfAbsent(r.host(), h -> new ArrayList<>()).add(new Entry(r, r.port(), r.pathPrefix()));
        }
        Map<String, Entry[]> table = new HashMap<>();
        grouped.forEach((host, entries) -> {
            entries.sort(Comparator.comparingInt((Entry e) -> e.prefix().length()).reversed());
            table.put(host, entries.toArray(Entry[]::new));
        });
        this.byHost = Map.copyOf(table);
    }

    public Optional<Route> select(URI url) {
        String host = url.getHost();
        if (host == null) {
            return Optional.empty();
        }
        Entry[] entries = byHost.get(host.toLowerCase(Locale.ROOT));
        if (entries == null) {
            return Optional.empty();
        }
        int port = Route.effectivePort(url);
        String path = url.getPath() == null || url.getPath().isEmpty() ? "/" : url.getPath();
        for (Entry e : entries) {
            if (e.port() == port && under(path, e.prefix())) {
                return Optional.of(e.route());
            }
        }
        return Optional.empty();
    }

    static boolean under(String path, String prefix) {
        return prefix.isEmpty() || (path.startsWith(prefix)
                && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/'));
    }
}
