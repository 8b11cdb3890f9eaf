package io.gatehouse.policy.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The sink every load step writes its problems to. Nothing in the loader throws for a bad config: a step
 * reports at the offending node's position with {@link #at(Node, String, String, Object...)} and carries on, so one
 * run finds every error. {@link #sorted()} returns them ordered by position.
 */
public final class Errors {
    private final String file;
    private final List<ConfigError> errors = new ArrayList<>();

    public Errors(String file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    public String file() {
        return file;
    }

    /** Reports a problem at the start of {@code node}; {@code path} names the key, {@code format} the problem. */
    public void at(Node node, String path, String format, Object... args) {
        Mark mark = node.getStartMark().orElse(null);
        int line = mark == null ? 1 : mark.getLine() + 1;
        int column = mark == null ? 1 : mark.getColumn() + 1;
        at(line, column, path, format, args);
    }

    /** Reports a problem at a 1-based position. */
    public void at(int line, int column, String path, String format, Object... args) {
        String message = args.length == 0 ? format : String.format(Locale.ROOT, format, args);
        errors.add(new ConfigError(file, Math.max(1, line), Math.max(1, column), path, message));
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public int count() {
        return errors.size();
    }

    public List<ConfigError> sorted() {
        List<ConfigError> copy = new ArrayList<>(errors);
        copy.sort(ConfigError.BY_POSITION);
        return List.copyOf(copy);
    }
}
