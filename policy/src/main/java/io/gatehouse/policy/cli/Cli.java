package io.gatehouse.policy.cli;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine;

/** The one-line error and exit code 2 every command uses for a file it cannot read. */
final class Cli {
    private Cli() {
    }

    static int unreadable(CommandLine.Model.CommandSpec spec, Path file, IOException e) {
        String why = e instanceof NoSuchFileException ? "no such file" : e.getClass().getSimpleName() + ": "
                + e.getMessage();
        return fail(spec, file + ": cannot read: " + why);
    }

    static int fail(CommandLine.Model.CommandSpec spec, String line) {
        spec.commandLine().getErr().println("gatehouse-policy: " + line.replace('\n', ' '));
        spec.commandLine().getErr().flush();
        return GatehousePolicyCommand.UNUSABLE_INPUT;
    }
}
