package io.gatehouse.policy.parse;

import java.util.Comparator;
import java.util.Objects;

/**
 * One problem found while loading {@code gatehouse.yaml}: where ({@code file}, 1-based {@code line} and
 * {@code column}), which key ({@code path}, e.g. {@code routes[0].policy.allow[0].device.trust}, empty for
 * errors outside any key such as YAML syntax errors) and what is wrong and what is allowed ({@code message}).
 * Errors are values: the loader collects them all and {@code io.gatehouse.policy.load.LoadResult#render()} prints them.
 */
public record ConfigError(String file, int line, int column, String path, String message) {

    /** Orders errors by position, then by path and message, so output is stable. */
    public static final Comparator<ConfigError> BY_POSITION = Comparator.comparingInt(ConfigError::line)
            .thenComparingInt(ConfigError::column)
            .thenComparing(ConfigError::path)
            .thenComparing(ConfigError::message);

    public ConfigError {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("line and column are 1-based: " + line + ":" + column);
        }
    }

    /** The first line of the rendering: {@code FILE:LINE:COL: path: message}. */
    public String headline() {
        String where = file + ":" + line + ":" + column + ": ";
        return path.isEmpty() ? where + message : where + path + ": " + message;
    }
}
