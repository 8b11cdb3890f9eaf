package io.gatehouse.policy.load;

import io.gatehouse.policy.CompiledConfig;
import io.gatehouse.policy.parse.ConfigError;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link PolicyLoader} returns: a {@link CompiledConfig} ready to decide, or every error found, sorted by
 * position. {@link #render()} is the one rendering of errors used by {@code check}, the gateway's reload log and
 * the golden tests: per error {@code FILE:LINE:COL: path: message}, the source line, and a caret under the column.
 */
public final class LoadResult {
    private final @Nullable CompiledConfig config;
    private final List<ConfigError> errors;
    private final List<String> lines;

    private LoadResult(@Nullable CompiledConfig config, List<ConfigError> errors, String source) {
        this.config = config;
        this.errors = List.copyOf(errors);
        this.lines = List.of(source.split("\r?\n", -1));
    }

    public static LoadResult ok(CompiledConfig config) {
        return new LoadResult(Objects.requireNonNull(config, "config"), List.of(), "");
    }

    public static LoadResult failed(List<ConfigError> errors, String source) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a failed load needs at least one error");
        }
        return new LoadResult(null, errors, source);
    }

    public boolean ok() {
        return config != null;
    }

    /** The loaded config; throws {@link IllegalStateException} when loading failed. */
    public CompiledConfig config() {
        if (config == null) {
            throw new IllegalStateException("config did not load:\n" + render());
        }
        return config;
    }

    /** The errors, sorted by position; empty when loading succeeded. */
    public List<ConfigError> errors() {
        return errors;
    }

    /** All errors as text, each ending with a newline; empty when loading succeeded. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        for (ConfigError e : errors) {
            sb.append(e.headline()).append('\n');
            if (e.line() <= lines.size()) {
                String line = lines.get(e.line() - 1);
                sb.append("  ").append(line).append('\n').append("  ");
                for (int i = 0; i < e.column() - 1; i++) {
                    sb.append(i < line.length() && line.charAt(i) == '\t' ? '\t' : ' ');
                }
                sb.append("^\n");
            }
        }
        return sb.toString();
    }
}
