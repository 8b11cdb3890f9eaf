package io.gatehouse.policy.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.policy.load.LoadResult;
import io.gatehouse.policy.load.PolicyLoader;
import io.gatehouse.policy.model.Route;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code explain --config FILE --route ID [--format text|json]}: who can reach the route, on which devices and under
 * which conditions, in plain sentences ({@link RouteExplanation}) or JSON; exit 0. An invalid config prints every error
 * as {@code FILE:LINE:COL: message} on stderr and exits 1; an unknown route id names the known ones and exits 2.
 */
@Command(name = "explain", description = "Say in plain sentences who can reach a route, on which devices and when.")
final class ExplainCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The output formats. */
    enum Format { text, json }

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the config file")
    Path config;

    @Option(names = "--route", required = true, paramLabel = "ID", description = "the route's id")
    String route;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default) or json")
    Format format;

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
        Optional<Route> found = loaded.config().routes().stream().filter(r -> r.id().equals(route)).findFirst();
        if (found.isEmpty()) {
            String known = loaded.config().routes().stream().map(Route::id).collect(Collectors.joining(", "));
            return Cli.fail(spec, config + ": no route with id \"" + route + "\"; the routes are: "
                    + (known.isEmpty() ? "(none)" : known));
        }
        RouteExplanation explanation = new RouteExplanation(found.get());
        if (format == Format.json) {
            try {
                spec.commandLine().getOut().println(JSON.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(explanation.json()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a map of texts always serialises", e);
            }
        } else {
            spec.commandLine().getOut().print(explanation.text());
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
