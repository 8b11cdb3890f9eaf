package io.gatehouse.policy.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.policy.Request;
import io.gatehouse.policy.load.LoadResult;
import io.gatehouse.policy.load.PolicyLoader;
import io.gatehouse.policy.testing.DecisionJson;
import io.gatehouse.policy.testing.RequestReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code eval --config FILE --request REQUEST.json}: prints the decision as one JSON line (with the route's shadow
 * decision when it has a shadow policy, {@link DecisionJson}) and exits 0 whatever the outcome. An invalid config prints its errors on stderr and exits 1; an unreadable file or malformed request
 * exits 2 with one line on stderr.
 */
@Command(name = "eval", description = "Decide one request (REQUEST.json) against a config; print the decision as JSON.")
final class EvalCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the config file")
    Path config;

    @Option(names = "--request", required = true, paramLabel = "REQUEST.json", description = "the request")
    Path request;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        LoadResult loaded;
        try {
            loaded = PolicyLoader.load(config);
        } catch (IOException e) {
            return Cli.unreadable(spec, config, e);
        }
        if (!loaded.ok()) {
            spec.commandLine().getErr().print(loaded.render());
            spec.commandLine().getErr().flush();
            return GatehousePolicyCommand.INVALID;
        }
        Request parsed;
        try {
            Object json = JSON.readValue(Files.readAllBytes(request), Object.class);
            parsed = RequestReader.read(json, Instant.now());
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            return Cli.fail(spec, request + ": malformed JSON" + (at == null ? "" : " at line " + at.getLineNr()
                    + " column " + at.getColumnNr()) + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            return Cli.unreadable(spec, request, e);
        } catch (IllegalArgumentException e) {
            return Cli.fail(spec, request + ": " + e.getMessage());
        }
        spec.commandLine().getOut().println(DecisionJson.line(loaded.config().decideRouted(parsed)));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
