package io.gatehouse.policy.load;

import io.gatehouse.policy.CompiledConfig;
import io.gatehouse.policy.model.Route;
import io.gatehouse.policy.parse.ConfigError;
import io.gatehouse.policy.parse.Errors;
import io.gatehouse.policy.parse.Nodes;
import io.gatehouse.policy.parse.ParseContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.schema.FailsafeSchema;

/**
 * Loads {@code gatehouse.yaml} (docs/design.md, "Configuration") into a {@link CompiledConfig}. Steps: compose the
 * YAML into position-carrying nodes (a syntax error becomes a {@link ConfigError} too), walk every route and
 * rule with an {@link Errors} sink so that all problems are found in one pass, compile globs, CIDRs and CEL
 * programs, and return {@link LoadResult#ok} or {@link LoadResult#failed} with the errors sorted. It never
 * throws for a bad file; only reading a file can fail with an {@link IOException}.
 */
public final class PolicyLoader {
    private PolicyLoader() {
    }

    public static LoadResult load(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return load(file.toString(), new String(bytes, StandardCharsets.UTF_8), bytes);
    }

    public static LoadResult load(String fileName, String yamlText) {
        return load(fileName, yamlText, yamlText.getBytes(StandardCharsets.UTF_8));
    }

    private static LoadResult load(String fileName, String text, byte[] bytes) {
        Errors errors = new Errors(fileName);
        Optional<Node> root;
        try {
            // Failsafe schema: every scalar stays the text written in the file (the criteria parse it), and the
            // composer skips the per-scalar regex resolution, which was a fifth of the load's allocation.
            LoadSettings settings = LoadSettings.builder().setLabel(fileName).setMaxAliasesForCollections(50)
                    .setSchema(new FailsafeSchema()).build();
            root = new Compose(settings).composeString(text);
        } catch (MarkedYamlEngineException e) {
            Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
            errors.at(mark == null ? 1 : mark.getLine() + 1, mark == null ? 1 : mark.getColumn() + 1, "",
                    "YAML syntax error: %s", e.getProblem() == null ? "unreadable" : e.getProblem());
            return LoadResult.failed(errors.sorted(), text);
        } catch (YamlEngineException e) {
            errors.at(1, 1, "", "YAML error: %s", e.getMessage());
            return LoadResult.failed(errors.sorted(), text);
        }
        if (root.isEmpty()) {
            errors.at(1, 1, "", "the file is empty; expected a mapping with routes:");
            return LoadResult.failed(errors.sorted(), text);
        }
        return load(root.get(), new ParseContext(errors, "", "", text), bytes);
    }

    /** Loads a config from an already composed node (e.g. a test file's inline {@code config:}). */
    public static LoadResult load(Node root, ParseContext c, byte[] bytes) {
        Map<String, Nodes.Entry> top = Nodes.mapping(root, c, List.of("routes"));
        List<Route> routes = List.of();
        if (top != null && !top.containsKey("routes")) {
            c.error(root, "missing key \"routes\"");
        } else if (top != null) {
            routes = RouteLoader.routes(top.get("routes").value(), c.key("routes"));
        }
        if (!c.errors().isEmpty()) {
            return LoadResult.failed(c.errors().sorted(), c.sourceText());
        }
        return LoadResult.ok(new CompiledConfig(routes, CompiledConfig.sha256(bytes)));
    }
}
