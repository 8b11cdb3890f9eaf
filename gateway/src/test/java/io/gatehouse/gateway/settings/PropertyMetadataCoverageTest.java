package io.gatehouse.gateway.settings;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanUtils;

/**
 * Every {@code gatehouse.*} key the gateway's code reads has configuration metadata (generated into
 * target/classes/META-INF/spring-configuration-metadata.json at compile time, merged with
 * META-INF/additional-spring-configuration-metadata.json): keys read with {@code @Value} or placeholders, and every
 * property of every {@code @ConfigurationProperties("gatehouse…")} type. A new key without metadata fails here, and
 * the startup check would refuse it.
 */
class PropertyMetadataCoverageTest {

    private static final Path MAIN = Path.of("src/main");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(gatehouse\\.[A-Za-z0-9.\\[\\]-]+)[:}]");
    private static final Pattern PROPERTIES = Pattern.compile(
            "@ConfigurationProperties\\(\"(gatehouse[A-Za-z0-9.-]*)\"\\)\\s*public\\s+(?:final\\s+)?(?:record|class)"
                    + "\\s+(\\w+)");
    private static final Pattern BINDER = Pattern.compile("bindOrCreate\\(\"(gatehouse\\.[A-Za-z0-9.-]+)\",\\s*(\\w+)"
            + "\\.class");

    private final KnownProperties known = KnownProperties.fromClasspath(getClass().getClassLoader());

    @Test
    void metadataWhenKeyReadWithValueOrPlaceholderThenKnown() {
        Set<String> keys = new TreeSet<>();
        for (Path file : sources()) {
            Matcher m = PLACEHOLDER.matcher(read(file));
            while (m.find()) {
                keys.add(m.group(1));
            }
        }
        assertThat(keys).contains("gatehouse.oidc.issuer-uri", "gatehouse.tracing.sampling");
        assertThat(keys).allSatisfy(key -> assertThat(known.names()).as("metadata for %s", key).contains(key));
    }

    /** Issue 17: settings are typed records; a {@code @Value} would be a second place with its own default. */
    @Test
    void mainCodeWhenReadingSettingsThenNoValueAnnotation() {
        assertThat(sources()).allSatisfy(file -> assertThat(read(file)).as("%s", file)
                .doesNotContain("@Value(").doesNotContain("annotation.Value;"));
    }

    @Test
    void metadataWhenPropertyOfConfigurationPropertiesTypeThenKnown() throws Exception {
        List<String> keys = new ArrayList<>();
        for (Path file : sources()) {
            String text = read(file);
            String packageName = text.replaceFirst("(?s).*?package\\s+([\\w.]+);.*", "$1");
            for (Pattern pattern : List.of(PROPERTIES, BINDER)) {
                Matcher m = pattern.matcher(text);
                while (m.find()) {
                    Class<?> type = Class.forName(packageName + "." + m.group(2));
                    for (String property : properties(type)) {
                        keys.add(m.group(1) + "." + property);
                    }
                }
            }
        }
        assertThat(keys).contains("gatehouse.trusted-proxies", "gatehouse.config-watch",
                "gatehouse.bearer.issuers", "gatehouse.forward.pool.max-connections");
        assertThat(keys).allSatisfy(key -> assertThat(known.names()).as("metadata for %s", key)
                .anyMatch(name -> name.equals(key) || name.startsWith(key + ".") || name.startsWith(key + "[")));
    }

    @Test
    void metadataWhenGeneratedForTheGatewayThenEveryGatehousePropertyHasADescription() throws Exception {
        JsonNode metadata = new ObjectMapper().readTree(
                Path.of("target/classes").resolve(KnownProperties.METADATA).toFile());
        List<String> undescribed = new ArrayList<>();
        List<String> described = new ArrayList<>();
        for (JsonNode property : metadata.path("properties")) {
            String name = property.path("name").asText();
            if (name.startsWith("gatehouse.")) {
                (property.path("description").asText("").isBlank() ? undescribed : described).add(name);
            }
        }
        assertThat(described).contains("gatehouse.oidc.issuer-uri", "gatehouse.signing.keys",
                "gatehouse.strict-properties");
        assertThat(undescribed).as("gatehouse.* properties without a description (IDE help, docs)").isEmpty();
    }

    private static List<String> properties(Class<?> type) {
        List<String> out = new ArrayList<>();
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                out.add(KnownProperties.dashed(component.getName()));
            }
        } else {
            Stream.of(BeanUtils.getPropertyDescriptors(type)).filter(d -> d.getReadMethod() != null)
                    .filter(d -> !d.getName().equals("class"))
                    .forEach(d -> out.add(KnownProperties.dashed(d.getName())));
        }
        return out;
    }

    private static List<Path> sources() {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(f -> f.toString().endsWith(".java") || f.toString().endsWith(".yml")).sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
