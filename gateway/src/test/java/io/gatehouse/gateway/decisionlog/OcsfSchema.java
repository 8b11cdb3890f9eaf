package io.gatehouse.gateway.decisionlog;

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
import java.util.List;

/**
 * The OCSF sink's contract, docs/ocsf-http-activity.schema.json (the OCSF 1.8.0 HTTP Activity attributes the mapping
 * claims, with their requirements, types and enums), checked against lines the tests produce; formats asserted.
 */
final class OcsfSchema {

    static final String FILE = "docs/ocsf-http-activity.schema.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchema SCHEMA = load();

    private OcsfSchema() {
    }

    /** The validator's messages for this line; empty when it is a valid OCSF line. */
    static List<String> problems(JsonNode line) {
        return SCHEMA.validate(line).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    /** Fails with the line and every message when it breaks the schema. */
    static void assertValid(JsonNode line) {
        List<String> problems = problems(line);
        if (!problems.isEmpty()) {
            throw new AssertionError("OCSF line breaks " + FILE + ": " + line + "\n  - "
                    + String.join("\n  - ", problems));
        }
    }

    private static JsonSchema load() {
        Path here = Path.of("").toAbsolutePath();
        Path file = Files.isRegularFile(here.resolve(FILE)) ? here.resolve(FILE) : here.getParent().resolve(FILE);
        try {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(
                    JSON.readTree(Files.readString(file)),
                    SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
