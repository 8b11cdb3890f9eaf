package io.gatehouse.gateway.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;

/**
 * Every {@code gatehouse.*} key the gateway reads, from the configuration metadata on the class path
 * ({@code META-INF/spring-configuration-metadata.json}, generated from the {@code @ConfigurationProperties} types, plus
 * {@code META-INF/additional-spring-configuration-metadata.json} for keys read with {@code @Value}). A property whose
 * type is a list or map stands for its indexed keys too ({@code gatehouse.bearer.issuers[0].issuer-uri}); the keys
 * below a list of Gatehouse types are the properties of that type, found by reflection. Keys compare in Spring's
 * relaxed form (case and dashes do not matter), and an environment variable may also split a dashed word with
 * underscores ({@code GATEHOUSE_DEVICE_CA}), as Spring's binder allows.
 */
public final class KnownProperties {

    static final String METADATA = "META-INF/spring-configuration-metadata.json";
    static final String ADDITIONAL_METADATA = "META-INF/additional-spring-configuration-metadata.json";
    static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("gatehouse");
    private static final int MAX_DEPTH = 4;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private sealed interface Element permits Literal, Index, AnyKey {
    }

    private record Literal(String dashed) implements Element {
        String uniform() {
            return dashed.replace("-", "");
        }
    }

    private record Index() implements Element {
    }

    private record AnyKey() implements Element {
    }

    private record Pattern(List<Element> elements, String display) {
    }

    /** Where a key was read from decides how loosely it may be spelled. */
    public enum Source { FILE_OR_ARGUMENT, ENVIRONMENT_VARIABLE }

    private final List<Pattern> patterns;

    private KnownProperties(List<Pattern> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    /** The {@code gatehouse.*} keys of every metadata file the class loader sees. */
    public static KnownProperties fromClasspath(ClassLoader loader) {
        Map<String, String> types = new TreeMap<>();
        for (String resource : List.of(METADATA, ADDITIONAL_METADATA)) {
            try {
                for (URL url : Collections.list(loader.getResources(resource))) {
                    try (InputStream in = url.openStream()) {
                        // Every Spring jar has a metadata file, some of 500 KB: parse only the ones with our keys.
                        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                        if (text.contains("\"gatehouse.")) {
                            readInto(MAPPER.readTree(text), types);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        }
        return of(types, loader);
    }

    /** Keys from a metadata document's {@code properties}: name to type, {@code gatehouse.*} only. */
    static void readInto(JsonNode metadata, Map<String, String> types) {
        for (JsonNode property : metadata.path("properties")) {
            String name = property.path("name").asText("");
            if (ConfigurationPropertyName.isValid(name) && ROOT.isAncestorOf(ConfigurationPropertyName.of(name))) {
                // An entry that only adds a description or default to a generated one has no type of its own.
                String type = property.path("type").asText("");
                if (!type.isEmpty() || !types.containsKey(name)) {
                    types.merge(name, type.isEmpty() ? "java.lang.String" : type,
                            (old, next) -> type.isEmpty() ? old : next);
                }
            }
        }
    }

    /** Known keys from names and their metadata types ({@code java.util.List<a.b.C$D>}). */
    static KnownProperties of(Map<String, String> types, ClassLoader loader) {
        List<Pattern> patterns = new ArrayList<>();
        types.forEach((name, type) -> {
            List<Element> prefix = new ArrayList<>();
            ConfigurationPropertyName parsed = ConfigurationPropertyName.of(name);
            for (int i = 0; i < parsed.getNumberOfElements(); i++) {
                prefix.add(new Literal(parsed.getElement(i, Form.DASHED)));
            }
            addPatterns(patterns, prefix, name, PropertyShape.parse(type, loader), 0);
        });
        patterns.sort(Comparator.comparing(Pattern::display));
        return new KnownProperties(patterns);
    }

    /** Every known key as a person would write it, {@code [*]} for a list index and {@code .*} for a map key. */
    public List<String> names() {
        return patterns.stream().map(Pattern::display).toList();
    }

    public boolean isKnown(ConfigurationPropertyName name, Source source) {
        return patterns.stream().anyMatch(p -> matches(p.elements(), 0, name, 0, source));
    }

    /** The known key nearest to {@code name} in spelling, written with the same list indices, if one is close. */
    public Optional<String> suggest(ConfigurationPropertyName name, Source source) {
        String wanted = uniform(name);
        int threshold = Math.max(2, Math.min(4, wanted.length() / 6));
        Pattern best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Pattern pattern : patterns) {
            int distance = SpellingDistance.between(wanted, uniform(pattern, false));
            if (source == Source.ENVIRONMENT_VARIABLE) {
                distance = Math.min(distance, SpellingDistance.between(wanted, uniform(pattern, true)));
            }
            if (distance < bestDistance) {
                best = pattern;
                bestDistance = distance;
            }
        }
        return best == null || bestDistance > threshold ? Optional.empty() : Optional.of(withIndices(best, name));
    }

    private static boolean matches(List<Element> pattern, int p, ConfigurationPropertyName name, int n,
                                   Source source) {
        if (p == pattern.size() || n == name.getNumberOfElements()) {
            return p == pattern.size() && n == name.getNumberOfElements();
        }
        Element element = pattern.get(p);
        if (element instanceof Index) {
            return name.isNumericIndex(n) && matches(pattern, p + 1, name, n + 1, source);
        }
        if (element instanceof AnyKey) {
            return matches(pattern, p + 1, name, n + 1, source);
        }
        Literal literal = (Literal) element;
        if (literal.uniform().equals(name.getElement(n, Form.UNIFORM))
                && matches(pattern, p + 1, name, n + 1, source)) {
            return true;
        }
        // GATEHOUSE_DEVICE_CA: Spring's binder also finds gatehouse.device-ca under the underscore-for-dash name.
        String[] parts = literal.dashed().split("-");
        if (source != Source.ENVIRONMENT_VARIABLE || parts.length < 2
                || n + parts.length > name.getNumberOfElements()) {
            return false;
        }
        for (int i = 0; i < parts.length; i++) {
            if (!parts[i].equals(name.getElement(n + i, Form.UNIFORM))) {
                return false;
            }
        }
        return matches(pattern, p + 1, name, n + parts.length, source);
    }

    private static String uniform(ConfigurationPropertyName name) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < name.getNumberOfElements(); i++) {
            parts.add(name.isNumericIndex(i) ? "#" : name.getElement(i, Form.UNIFORM));
        }
        return String.join(".", parts);
    }

    private static String uniform(Pattern pattern, boolean dashAsDot) {
        List<String> parts = new ArrayList<>();
        for (Element element : pattern.elements()) {
            if (element instanceof Literal l) {
                parts.add(dashAsDot ? l.dashed().replace('-', '.') : l.uniform());
            } else {
                parts.add(element instanceof Index ? "#" : "*");
            }
        }
        return String.join(".", parts);
    }

    private static String withIndices(Pattern pattern, ConfigurationPropertyName name) {
        List<String> indices = new ArrayList<>();
        for (int i = 0; i < name.getNumberOfElements(); i++) {
            if (name.isNumericIndex(i)) {
                indices.add(name.getElement(i, Form.UNIFORM));
            }
        }
        String display = pattern.display();
        for (String index : indices) {
            display = display.replaceFirst("\\[\\*]", "[" + index + "]");
        }
        return display;
    }

    private static void addPatterns(List<Pattern> out, List<Element> prefix, String display, PropertyShape shape,
                                    int depth) {
        if (depth > MAX_DEPTH) {
            return;
        }
        switch (shape.kind()) {
            case SCALAR -> out.add(new Pattern(List.copyOf(prefix), display));
            case LIST -> {
                if (shape.element().kind() == PropertyShape.Kind.SCALAR) {
                    out.add(new Pattern(List.copyOf(prefix), display)); // a comma-separated value
                }
                addPatterns(out, with(prefix, new Index()), display + "[*]", shape.element(), depth + 1);
            }
            case MAP -> addPatterns(out, with(prefix, new AnyKey()), display + ".*", shape.element(), depth + 1);
            case BEAN -> {
                Map<String, Type> properties = beanProperties(shape.type());
                properties.forEach((property, type) -> addPatterns(out, with(prefix, new Literal(property)),
                        display + "." + property, PropertyShape.of(type), depth + 1));
            }
        }
    }

    private static List<Element> with(List<Element> prefix, Element element) {
        List<Element> next = new ArrayList<>(prefix);
        next.add(element);
        return next;
    }

    /** Record components, or JavaBean properties with a setter, by their dashed names. */
    private static Map<String, Type> beanProperties(Class<?> type) {
        Map<String, Type> properties = new TreeMap<>();
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                properties.put(dashed(component.getName()), component.getGenericType());
            }
            return properties;
        }
        for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
            if (descriptor.getWriteMethod() != null) {
                properties.put(dashed(descriptor.getName()), descriptor.getWriteMethod().getGenericParameterTypes()[0]);
            } else if (descriptor.getReadMethod() != null && PropertyShape.isGatehouseBean(descriptor.getPropertyType())) {
                properties.put(dashed(descriptor.getName()), descriptor.getPropertyType());
            }
        }
        return properties;
    }

    static String dashed(String camel) {
        StringBuilder out = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('-').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "KnownProperties" + names();
    }
}
