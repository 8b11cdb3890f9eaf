package io.gatehouse.policy.criteria;

import io.gatehouse.policy.Request;
import io.gatehouse.policy.parse.Nodes;
import io.gatehouse.policy.parse.ParseContext;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Key {@code paths: ["/admin/**"]}: the request path matches one of these {@link Glob}s. The path is the
 * URL's decoded path, so {@code /%61dmin} is {@code /admin} here too; the gateway rejects encoded slashes and
 * dot segments before the policy sees a request, so decoding cannot smuggle a {@code /} past a deny rule.
 *
 * <p>Letter case: where the criterion holding pushes towards deny ({@link ParseContext#denying()}: in a deny rule,
 * or under {@code not} in an allow rule) it ignores letter case, because many upstreams do ({@code /ADMIN/x} is
 * {@code /admin/x} to IIS, Spring with case-insensitive matching, most Windows and macOS file systems); everywhere
 * else it is case-sensitive, so an allow never widens. A deny therefore holds for every case spelling of its paths,
 * and an allow for exactly the spelling written.
 */
public final class PathsCriterion implements Criterion {
    private final Glob[] globs;
    private final String listed;
    private final String rule;
    private final boolean ignoreCase;

    private PathsCriterion(List<Glob> globs, String rule, boolean ignoreCase) {
        this.globs = globs.toArray(Glob[]::new);
        this.listed = globs.toString();
        this.rule = rule;
        this.ignoreCase = ignoreCase;
    }

    public static @Nullable Criterion parse(Node node, ParseContext c) {
        List<ScalarNode> items = Nodes.stringList(node, c);
        if (items == null) {
            return null;
        }
        List<Glob> globs = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                globs.add(Glob.compile(items.get(i).getValue()));
            } catch (IllegalArgumentException e) {
                c.index(i).error(items.get(i), "bad glob \"%s\": %s", items.get(i).getValue(), e.getMessage());
            }
        }
        return globs.size() == items.size() ? new PathsCriterion(globs, c.rule(), c.denying()) : null;
    }

    private boolean matches(Glob glob, String path) {
        return ignoreCase ? glob.matchesIgnoringCase(path) : glob.matches(path);
    }

    /** The path the policy matches: decoded, and {@code /} when the URL has none. */
    public static String pathOf(Request request) {
        String path = request.url().getPath();
        return path == null || path.isEmpty() ? "/" : path;
    }

    @Override
    public boolean test(Request request) {
        String path = pathOf(request);
        for (Glob g : globs) {
            if (matches(g, path)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Match evaluate(Request request) {
        String path = pathOf(request);
        for (Glob g : globs) {
            if (g.matches(path)) {
                return Match.holds("path", "path " + path + " matches " + g);
            }
        }
        for (Glob g : globs) {
            if (matches(g, path)) {
                return Match.holds("path", "path " + path + " matches " + g + " ignoring letter case");
            }
        }
        return Match.fails("path-not-matched", "path is " + path + ", rule " + rule + " needs one of " + listed);
    }

    @Override
    public String describe() {
        return "the path matches one of " + Phrases.list(java.util.Arrays.asList(globs))
                + (ignoreCase ? " (ignoring letter case)" : "");
    }
}
