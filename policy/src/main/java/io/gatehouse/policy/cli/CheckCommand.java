package io.gatehouse.policy.cli;

import io.gatehouse.policy.load.LoadResult;
import io.gatehouse.policy.load.PolicyLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code check FILE}: prints every error as {@code FILE:LINE:COL: message} with the line and a caret, those of
 * {@code shadow:} policies with the rest; exit 0 valid (saying how many routes carry a shadow policy), 1 invalid.
 */
@Command(name = "check", description = "Validate a gatehouse.yaml; print every error as FILE:LINE:COL: message.")
final class CheckCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "the config file")
    Path file;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        LoadResult result;
        try {
            result = PolicyLoader.load(file);
        } catch (IOException e) {
            return Cli.unreadable(spec, file, e);
        }
        if (result.ok()) {
            long shadowed = result.config().shadowedRoutes();
            spec.commandLine().getOut().printf("%s: ok (%d routes%s)%n", file, result.config().routes().size(),
                    shadowed == 0 ? "" : ", " + shadowed + " with a shadow policy");
            spec.commandLine().getOut().flush();
            return 0;
        }
        spec.commandLine().getOut().print(result.render());
        spec.commandLine().getOut().flush();
        return GatehousePolicyCommand.INVALID;
    }
}
