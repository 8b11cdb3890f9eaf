package io.gatehouse.policy.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code gatehouse-policy}: the policy CLI (docs/design.md, "The policy CLI") with {@code check}, {@code eval},
 * {@code test}, {@code explain} and {@code replay}. Exit codes: 0 success, 1 invalid config or failed tests (for
 * {@code replay}: a flip its {@code --fail-on} names), 2 usage error, unreadable file, malformed request JSON or log
 * line, or unknown route (one line on stderr).
 */
@Command(name = "gatehouse-policy", mixinStandardHelpOptions = true, version = "gatehouse-policy 0.1.0",
        description = "Check, evaluate, test, explain and replay Gatehouse policies (gatehouse.yaml).",
        subcommands = {CheckCommand.class, EvalCommand.class, TestCommand.class, ExplainCommand.class,
                ReplayCommand.class})
public final class GatehousePolicyCommand implements Runnable {
    static final int INVALID = 1;
    static final int UNUSABLE_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: check, eval, test, explain or replay");
    }

    /** The command line with its subcommands; tests set its out and err writers and call {@code execute}. */
    public static CommandLine commandLine() {
        return new CommandLine(new GatehousePolicyCommand());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
