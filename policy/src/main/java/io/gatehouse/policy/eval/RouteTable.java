package io.gatehouse.policy.eval;

import io.gatehouse.policy.criteria.LetterCase;
import io.gatehouse.policy.model.Route;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Route selection (docs/design.md, "Configuration"): the route whose {@code from} host equals the URL's host
 * (case-insensitive), whose effective port equals the URL's effective port (the scheme's default when the URL
 * or {@code from} names none), and whose path prefix is the longest one matching at a segment boundary
 * ({@code /v2} matches {@code /v2} and {@code /v2/x}, never {@code /v2x}). Built once per config; lookups are a
 * hash probe and a short scan.
 *
 * <p>A route's prefix cannot be sidestepped by letter case: when the longest prefix that matches <em>ignoring</em>
 * case (see {@link LetterCase}) does not match exactly ({@code /INTERNAL/x} against a route at {@code /internal}),
 * the lookup is a {@link Lookup#caseMismatch() case mismatch} and no route serves the path. Choosing either route
 * could widen access: the catch-all route's policy would judge a path an upstream that ignores case serves as the
 * {@code /internal} route's, and the {@code /internal} route's policy would judge a path a case-sensitive upstream
 * serves as the catch-all's.
 */
public final class RouteTable {
    /** One route, with both answers it can give built once, so a lookup allocates nothing. */
    private record Entry(Route route, int port, String prefix, Lookup served, Lookup caseMismatch) {
        Entry(Route route) {
            this(route, route.port(), route.pathPrefix(), new Lookup(route, null), new Lookup(null, route));
        }
    }

    /**
     * What selection found: {@code route} when one serves the URL; else {@code caseMismatch}, the route whose
     * prefix the path names only in other letter case, when there is one; both null when no route serves it.
     */
    public record Lookup(@Nullable Route route, @Nullable Route caseMismatch) {
        static final Lookup NONE = new Lookup(null, null);
    }

    private final Map<String, Entry[]> byHost;

    public RouteTable(List<Route> routes) {
        Map<String, List<Entry>> grouped = new HashMap<>();
        for (Route r : routes) {
            grouped.computeIfAbsent(r.host(), h -> new ArrayList<>()).add(new Entry(r));
        }
        Map<String, Entry[]> table = new HashMap<>();
        grouped.forEach((host, entries) -> {
            entries.sort(Comparator.comparingInt((Entry e) -> e.prefix().length()).reversed());
            table.put(host, entries.toArray(Entry[]::new));
        });
        this.byHost = Map.copyOf(table);
    }

    /** The route serving {@code url}; empty when none does, or when the path names a prefix in other case. */
    public Optional<Route> select(URI url) {
        return Optional.ofNullable(lookup(url).route());
    }

    public Lookup lookup(URI url) {
        String host = url.getHost();
        if (host == null) {
            return Lookup.NONE;
        }
        Entry[] entries = byHost.get(host.toLowerCase(Locale.ROOT));
        if (entries == null) {
            return Lookup.NONE;
        }
        int port = Route.effectivePort(url);
        String path = url.getPath() == null || url.getPath().isEmpty() ? "/" : url.getPath();
        // Longest first; the loader refuses two prefixes of one host and port that differ only in case, so the
        // first entry matching ignoring case is the only candidate of its length.
        for (Entry e : entries) {
            if (e.port() == port && underIgnoringCase(path, e.prefix())) {
                return under(path, e.prefix()) ? e.served() : e.caseMismatch();
            }
        }
        return Lookup.NONE;
    }

    static boolean under(String path, String prefix) {
        return prefix.isEmpty() || (path.startsWith(prefix)
                && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/'));
    }

    static boolean underIgnoringCase(String path, String prefix) {
        return prefix.isEmpty() || (LetterCase.startsWithIgnoringCase(path, prefix)
                && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/'));
    }
}
