package io.gatehouse.testsupport;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The decision-log line's contract, {@code docs/decision-log.schema.json} (JSON Schema 2020-12, formats asserted),
 * checked against the lines the tests capture: every module whose tests read decision-log lines hands each one to
 * {@link #assertValid(String)}, so a member the gateway starts writing, misspells or changes the type of fails the
 * build until the schema (and the SIEM mappings that rely on it) says so too. The schema is read from the repository's
 * {@code docs/} folder, found from the module's directory (a test's working directory) or the repository root.
 */
public final class DecisionLogSchema {

    /** The schema's place in the repository. */
    public static final String FILE = "docs/decision-log.schema.json";

    /** Duplicate members are refused: a second {@code "why"} would otherwise silently replace the first. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private DecisionLogSchema() {
    }

    /** The schema file, from a module's directory ({@code ../docs}) or the repository root ({@code docs}). */
    public static Path file() {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir : new Path[] {here, here.getParent()}) {
            if (dir != null && Files.isRegularFile(dir.resolve(FILE))) {
                return dir.resolve(FILE);
            }
        }
        throw new IllegalStateException(FILE + " not found from " + here + " or its parent");
    }

    /** Why this line breaks the schema (the validator's messages), or "not JSON"; empty when it is a valid line. */
    public static List<String> problems(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return List.of("not a JSON line: " + e.getOriginalMessage());
        }
        if (node == null) {
            return List.of("an empty line");
        }
        return Holder.SCHEMA.validate(node).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    /** Fails, naming the line and every message of the validator, when the line breaks the schema. */
    public static void assertValid(String line) {
        List<String> problems = problems(line);
        if (!problems.isEmpty()) {
            throw new AssertionError(report(line, problems));
        }
    }

    /** As {@link #assertValid(String)} for each line; one failure lists every bad line. */
    public static void assertAllValid(Collection<String> lines) {
        List<String> reports = new ArrayList<>();
        for (String line : lines) {
            List<String> problems = problems(line);
            if (!problems.isEmpty()) {
                reports.add(report(line, problems));
            }
        }
        if (!reports.isEmpty()) {
            throw new AssertionError(reports.size() + " of " + lines.size() + " decision-log lines break " + FILE
                    + ":\n" + String.join("\n", reports));
        }
    }

    private static String report(String line, List<String> problems) {
        return "decision-log line breaks " + FILE + ": " + line + "\n  - " + String.join("\n  - ", problems);
    }

    /** Loaded once, on first use. */
    private static final class Holder {
        static final JsonSchema SCHEMA = load();

        private static JsonSchema load() {
            Path file = file();
            try {
                JsonNode schema = new ObjectMapper().readTree(Files.readString(file));
                return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema,
                        SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
    }
}
