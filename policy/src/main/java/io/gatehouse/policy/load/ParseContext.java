package io.gatehouse.policy.load;

import java.util.Objects;

/**
 * Where a parser is in the file while it reads one value: the error sink, the dotted path of the key
 * ({@code routes[0].policy.allow[1].device}) and the name of the top-level rule the value belongs to, which
 * criteria bake into their reason texts at load time.
 */
public record ParseContext(Errors errors, String path, String rule, String sourceText) {

    public ParseContext {
        Objects.requireNonNull(errors, "errors");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(sourceText, "sourceText");
    }

    public ParseContext key(String key) {
        return new ParseContext(errors, path.isEmpty() ? key : path + "." + key, rule, sourceText);
    }

    public ParseContext index(int i) {
        return new ParseContext(errors, path + "[" + i + "]", rule, sourceText);
    }

    public ParseContext forRule(String name) {
        return new ParseContext(errors, path, name, sourceText);
    }

    /** Reports a problem at {@code node} under this context's path. */
    public void error(org.snakeyaml.engine.v2.nodes.Node node, String format, Object... args) {
        errors.at(node, path, format, args);
    }
}
