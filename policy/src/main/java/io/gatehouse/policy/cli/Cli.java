package io.gatehouse.policy.cli;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine;

/** The one-line error and exit code 2 every command uses for a file it cannot read. */
final class Cli {
    private Cli() {
    }

    /** {@code file} is the file named on the command line; the exception may name another one it refers to. */
    static int unreadable(CommandLine.Model.CommandSpec spec, Path file, IOException e) {
        if (e instanceof NoSuchFileException missing) {
            String named = missing.getFile() == null ? file.toString() : missing.getFile();
            return fail(spec, named + ": cannot read: no such file");
        }
        return fail(spec, file + ": cannot read: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    static int fail(CommandLine.Model.CommandSpec spec, String line) {
        spec.commandLine().getErr().println("gatehouse-policy: " + line.replace('\n', ' '));
        spec.commandLine().getErr().flush();
        return GatehousePolicyCommand.UNUSABLE_INPUT;
    }
}
