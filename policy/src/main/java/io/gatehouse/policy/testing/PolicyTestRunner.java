package io.gatehouse.policy.testing;

import io.gatehouse.policy.CompiledConfig;
import io.gatehouse.policy.Decision;
import io.gatehouse.policy.Reason;
import io.gatehouse.policy.Request;
import io.gatehouse.policy.RoutedDecision;
import io.gatehouse.policy.model.Rule;
import io.gatehouse.policy.parse.Errors;
import io.gatehouse.policy.load.LoadResult;
import io.gatehouse.policy.parse.ParseContext;
import io.gatehouse.policy.load.PolicyLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.constructor.StandardConstructor;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Runs a policy test file (format in docs/policy.md): {@code config} (a path relative to the test file, or an
 * inline mapping with {@code routes:}) and {@code cases}, each a {@code name}, a {@code request} in the REQUEST.json
 * shape and an {@code expect} with {@code decision} and optionally {@code rule}, {@code route}, {@code enforced},
 * {@code reasons} (exact texts, in order), {@code codes} and {@code shadow}: null for "the route has no shadow
 * policy", or what the shadow decides, with {@code decision} and optionally {@code rule}, {@code reasons}, {@code codes}. {@code gatehouse-policy test} and the JUnit case
 * runner both use this class. A broken test file is reported as a failed file, never thrown; only an unreadable
 * file throws {@link IOException}.
 */
public final class PolicyTestRunner {
    private static final Set<String> EXPECT = Set.of("decision", "rule", "route", "enforced", "reasons", "codes",
            "shadow");
    private static final Set<String> EXPECT_SHADOW = Set.of("decision", "rule", "reasons", "codes");

    /** The outcome of one case; {@code problems} is empty when it passed. */
    public record CaseResult(String name, List<String> problems) {
        public boolean passed() {
            return problems.isEmpty();
        }
    }

    /** The outcome of one file; {@code fileProblem} is set when the file itself could not be run. */
    public record FileResult(String file, @Nullable String fileProblem, List<CaseResult> cases) {
        public boolean passed() {
            return fileProblem == null && cases.stream().allMatch(CaseResult::passed);
        }
    }

    private PolicyTestRunner() {
    }

    public static FileResult run(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.UTF_8);
        String name = file.toString();
        LoadSettings settings = LoadSettings.builder().setLabel(name).build();
        Node root;
        try {
            root = new Compose(settings).composeString(text).orElse(null);
        } catch (YamlEngineException e) {
            return new FileResult(name, "YAML error: " + e.getMessage(), List.of());
        }
        Node configNode = child(root, "config");
        Node casesNode = child(root, "cases");
        if (configNode == null || casesNode == null) {
            return new FileResult(name, "a test file needs the keys config and cases", List.of());
        }
        LoadResult loaded;
        if (configNode instanceof ScalarNode s) {
            Path configFile = Objects.requireNonNullElse(file.getParent(), Path.of("")).resolve(s.getValue());
            loaded = PolicyLoader.load(configFile);
        } else {
            loaded = PolicyLoader.load(configNode, new ParseContext(new Errors(name), "", "", text), bytes);
        }
        if (!loaded.ok()) {
            return new FileResult(name, "config does not load:\n" + loaded.render(), List.of());
        }
        Object cases = new StandardConstructor(settings).constructSingleDocument(Optional.of(casesNode));
        if (!(cases instanceof List<?> list)) {
            return new FileResult(name, "cases: expected a list of cases", List.of());
        }
        List<CaseResult> results = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            results.add(runCase(loaded.config(), list.get(i), i));
        }
        return new FileResult(name, null, results);
    }

    private static @Nullable Node child(@Nullable Node node, String key) {
        if (node instanceof MappingNode map) {
            for (NodeTuple t : map.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                    return t.getValueNode();
                }
            }
        }
        return null;
    }

    private static CaseResult runCase(CompiledConfig config, @Nullable Object raw, int index) {
        if (!(raw instanceof Map<?, ?> c) || !(c.get("name") instanceof String name)) {
            return new CaseResult("cases[" + index + "]", List.of("a case needs a name, a request and an expect"));
        }
        if (!(c.get("expect") instanceof Map<?, ?> expect) || !(expect.get("decision") instanceof String)) {
            return new CaseResult(name, List.of("expect: needs at least decision: allow|deny"));
        }
        List<String> problems = new ArrayList<>();
        for (Object key : expect.keySet()) {
            if (!EXPECT.contains(String.valueOf(key))) {
                problems.add("expect: unknown key \"" + key + "\"; expected one of " + EXPECT);
            }
        }
        Decision d;
        RoutedDecision routed;
        Request request;
        try {
            request = RequestReader.read(c.get("request"), Instant.now());
            routed = config.decideRouted(request);
            d = routed.decision();
        } catch (IllegalArgumentException e) {
            return new CaseResult(name, List.of("bad request: " + e.getMessage()));
        }
        // The evaluator finds the deciding rule with test() and explains it with evaluate(); they must agree.
        config.selectRoute(request.url()).ifPresent(route -> {
            for (Rule rule : route.policy().allow()) {
                agree(problems, rule, request);
            }
            for (Rule rule : route.policy().deny()) {
                agree(problems, rule, request);
            }
            if (route.shadow() != null) {
                route.shadow().allow().forEach(rule -> agree(problems, rule, request));
                route.shadow().deny().forEach(rule -> agree(problems, rule, request));
            }
        });
        compare(problems, "decision", expect.get("decision"), d.outcome().wireName());
        if (expect.containsKey("rule")) {
            compare(problems, "rule", expect.get("rule"), d.rule());
        }
        if (expect.containsKey("route")) {
            compare(problems, "route", expect.get("route"), d.route());
        }
        if (expect.containsKey("enforced")) {
            compare(problems, "enforced", expect.get("enforced"), d.enforced());
        }
        if (expect.containsKey("reasons")) {
            compare(problems, "reasons", expect.get("reasons"), d.reasons().stream().map(Reason::text).toList());
        }
        if (expect.containsKey("codes")) {
            compare(problems, "codes", expect.get("codes"), d.reasons().stream().map(Reason::code).toList());
        }
        if (expect.containsKey("shadow")) {
            shadow(problems, expect.get("shadow"), routed.shadow());
        }
        return new CaseResult(name, problems);
    }

    private static void shadow(List<String> problems, @Nullable Object expected, @Nullable Decision shadow) {
        if (expected == null || shadow == null) {
            compare(problems, "shadow", expected == null ? null : "a shadow decision",
                    shadow == null ? null : "a shadow decision");
            return;
        }
        if (!(expected instanceof Map<?, ?> e) || !(e.get("decision") instanceof String)) {
            problems.add("expect: shadow: needs null or at least decision: allow|deny");
            return;
        }
        for (Object key : e.keySet()) {
            if (!EXPECT_SHADOW.contains(String.valueOf(key))) {
                problems.add("expect: shadow: unknown key \"" + key + "\"; expected one of " + EXPECT_SHADOW);
            }
        }
        compare(problems, "shadow.decision", e.get("decision"), shadow.outcome().wireName());
        if (e.containsKey("rule")) {
            compare(problems, "shadow.rule", e.get("rule"), shadow.rule());
        }
        if (e.containsKey("reasons")) {
            compare(problems, "shadow.reasons", e.get("reasons"), shadow.reasons().stream().map(Reason::text).toList());
        }
        if (e.containsKey("codes")) {
            compare(problems, "shadow.codes", e.get("codes"), shadow.reasons().stream().map(Reason::code).toList());
        }
    }

    private static void agree(List<String> problems, Rule rule, Request request) {
        if (rule.test(request) != rule.evaluate(request).holds()) {
            problems.add("engine bug: rule " + rule.name() + " test() and evaluate() disagree");
        }
    }

    private static void compare(List<String> problems, String what, @Nullable Object expected,
            @Nullable Object actual) {
        if (!Objects.equals(expected, actual)) {
            problems.add(what + ": expected " + show(expected) + ", got " + show(actual));
        }
    }

    private static String show(@Nullable Object value) {
        if (value instanceof List<?> list) {
            List<String> shown = list.stream().map(PolicyTestRunner::show).toList();
            return "[" + String.join(", ", shown) + "]";
        }
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }
}
