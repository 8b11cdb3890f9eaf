package io.gatehouse.policy.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.policy.CompiledConfig;
import io.gatehouse.policy.load.LoadResult;
import io.gatehouse.policy.load.PolicyLoader;
import io.gatehouse.policy.replay.LineReplay;
import io.gatehouse.policy.replay.LineReplay.Kind;
import io.gatehouse.policy.replay.ReplayReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code replay --log DECISIONS.jsonl --config CANDIDATE.yaml}: decides every decision-log line again with the
 * candidate config at the line's own time (docs/policy.md, "Replay") and reports the counts (same, allow → deny,
 * deny → allow, rule changed, cannot replay), why lines cannot replay, and the lines that flip, as text or
 * {@code --format json}. It streams: memory holds one line and at most {@code --max-flips} flips (default 100).
 * Exit 0; 1 when {@code --fail-on allow-to-deny|deny-to-allow|any} names a flip that happened; 2 for an unreadable
 * file, an invalid candidate (every error as FILE:LINE:COL), or a line that is not JSON or not a decision-log line
 * (FILE:LINE: what is wrong).
 */
@Command(name = "replay", description = "Re-decide a decision log (JSON lines) with a candidate config; report "
        + "what would change.")
final class ReplayCommand implements Callable<Integer> {
    /** A line longer than this is not the gateway's (whose lines are a few KB). */
    static final int MAX_LINE_CHARS = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> OBJECT =
            new com.fasterxml.jackson.core.type.TypeReference<>() {
            };

    @Option(names = "--log", required = true, paramLabel = "DECISIONS.jsonl", description = "the decision log")
    Path log;

    @Option(names = "--config", required = true, paramLabel = "CANDIDATE.yaml", description = "the candidate config")
    Path config;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json", description = "report format "
            + "(default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--fail-on", paramLabel = "allow-to-deny|deny-to-allow|any",
            description = "exit 1 when a line flips this way")
    String failOn;

    @Option(names = "--max-flips", defaultValue = "100", paramLabel = "N",
            description = "flips listed in the report; more are counted (default: ${DEFAULT-VALUE})")
    int maxFlips;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        validate();
        LoadResult loaded;
        try {
            loaded = PolicyLoader.load(config);
        } catch (IOException e) {
            return Cli.unreadable(spec, config, e);
        }
        if (!loaded.ok()) {
            spec.commandLine().getErr().print(loaded.render());
            spec.commandLine().getErr().flush();
            return Cli.fail(spec, config + ": invalid candidate config (" + loaded.errors().size() + " errors)");
        }
        CompiledConfig candidate = loaded.config();
        ReplayReport report = new ReplayReport(maxFlips);
        LineReplay replay = new LineReplay(candidate);
        try (BufferedReader in = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            LogLines lines = new LogLines(in, MAX_LINE_CHARS);
            for (String text = lines.next(); text != null; text = lines.next()) {
                if (text.isBlank()) {
                    continue;
                }
                Map<String, Object> line;
                try {
                    line = JSON.readValue(text, OBJECT);
                } catch (JsonProcessingException e) {
                    var at = e.getLocation();
                    return Cli.fail(spec, log + ":" + lines.number() + ": malformed JSON"
                            + (at == null ? "" : " at column " + at.getColumnNr()) + ": " + e.getOriginalMessage());
                }
                try {
                    report.add(lines.number(), line, replay.replay(line));
                } catch (IllegalArgumentException | ClassCastException e) {
                    return Cli.fail(spec, log + ":" + lines.number() + ": " + e.getMessage());
                }
            }
        } catch (LogLines.TooLong e) {
            return Cli.fail(spec, log + ": " + e.getMessage());
        } catch (IOException e) {
            return Cli.unreadable(spec, log, e);
        }
        boolean failed = failed(report);
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            out.println(json(report, candidate, failed));
        } else {
            ReplayText.print(out, report, log, config, candidate.version());
            if (failed) {
                out.printf("FAIL: lines flip %s (--fail-on %s)%n", failOn.equals("any") ? "either way"
                        : failOn.replace("-to-", " → "), failOn);
            }
        }
        out.flush();
        return failed ? GatehousePolicyCommand.INVALID : 0;
    }

    private void validate() {
        if (!format.equals("text") && !format.equals("json")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--format: \"" + format + "\" is not one of text, json");
        }
        if (failOn != null && !failOn.equals("allow-to-deny") && !failOn.equals("deny-to-allow")
                && !failOn.equals("any")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--fail-on: \"" + failOn + "\" is not one of allow-to-deny, deny-to-allow, any");
        }
        if (maxFlips < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-flips: must be 0 or more");
        }
    }

    private boolean failed(ReplayReport report) {
        if (failOn == null) {
            return false;
        }
        long toDeny = report.count(Kind.ALLOW_TO_DENY);
        long toAllow = report.count(Kind.DENY_TO_ALLOW);
        return switch (failOn.toLowerCase(Locale.ROOT)) {
            case "allow-to-deny" -> toDeny > 0;
            case "deny-to-allow" -> toAllow > 0;
            default -> toDeny + toAllow > 0;
        };
    }

    private String json(ReplayReport report, CompiledConfig candidate, boolean failed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("log", log.toString());
        m.put("config", config.toString());
        m.put("config_version", candidate.version());
        m.putAll(report.toJson());
        m.put("fail_on", failOn);
        m.put("failed", failed);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps of texts and numbers always serialise", e);
        }
    }
}
