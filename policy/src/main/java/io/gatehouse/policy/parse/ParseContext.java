package io.gatehouse.policy.parse;

import java.util.Objects;

/**
 * Where a parser is in the file while it reads one value: the error sink, the dotted path of the key
 * ({@code routes[0].policy.allow[1].device}), the name of the top-level rule the value belongs to, which criteria
 * bake into their reason texts at load time, and whether a criterion holding here pushes the decision towards deny
 * ({@code denying}: directly or through {@code all}/{@code any} in a deny rule, or under an odd number of
 * {@code not} in an allow rule). Criteria that can match more loosely (paths ignoring letter case) do so only where
 * {@code denying} is true, so a looser match never widens what is allowed.
 */
public record ParseContext(Errors errors, String path, String rule, String sourceText, boolean denying) {

    public ParseContext {
        Objects.requireNonNull(errors, "errors");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(sourceText, "sourceText");
    }

    /** A context at the top of a file, outside any rule. */
    public ParseContext(Errors errors, String path, String rule, String sourceText) {
        this(errors, path, rule, sourceText, false);
    }

    public ParseContext key(String key) {
        return new ParseContext(errors, path.isEmpty() ? key : path + "." + key, rule, sourceText, denying);
    }

    public ParseContext index(int i) {
        return new ParseContext(errors, path + "[" + i + "]", rule, sourceText, denying);
    }

    public ParseContext forRule(String name) {
        return new ParseContext(errors, path, name, sourceText, denying);
    }

    /** The same place, inside the {@code deny} list ({@code true}) or the {@code allow} list ({@code false}). */
    public ParseContext denying(boolean inDenyList) {
        return new ParseContext(errors, path, rule, sourceText, inDenyList);
    }

    /** The same place under a {@code not}: a criterion holding there pushes the other way. */
    public ParseContext negated() {
        return new ParseContext(errors, path, rule, sourceText, !denying);
    }

    /** Reports a problem at {@code node} under this context's path. */
    public void error(org.snakeyaml.engine.v2.nodes.Node node, String format, Object... args) {
        errors.at(node, path, format, args);
    }
}
