package io.gatehouse.policy.cli;

import io.gatehouse.policy.testing.PolicyTestRunner;
import io.gatehouse.policy.testing.PolicyTestRunner.CaseResult;
import io.gatehouse.policy.testing.PolicyTestRunner.FileResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code test FILE...}: runs policy test files; prints {@code PASS}/{@code FAIL} per case with what differed, then
 * {@code N passed, N failed}. Exit 0 when every case passed, 1 on any failure (a file whose config does not load
 * counts as one failure), 2 when a file cannot be read.
 */
@Command(name = "test", description = "Run policy test files (config + cases of request and expected decision).")
final class TestCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "policy test files")
    List<Path> files;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int passed = 0;
        int failed = 0;
        for (Path file : files) {
            FileResult result;
            try {
                result = PolicyTestRunner.run(file);
            } catch (IOException e) {
                return Cli.unreadable(spec, file, e);
            }
            if (result.fileProblem() != null) {
                out.printf("FAIL %s: %s%n", result.file(), result.fileProblem().stripTrailing());
                failed++;
            }
            for (CaseResult c : result.cases()) {
                out.printf("%s %s: %s%n", c.passed() ? "PASS" : "FAIL", result.file(), c.name());
                c.problems().forEach(p -> out.printf("    %s%n", p));
                if (c.passed()) {
                    passed++;
                } else {
                    failed++;
                }
            }
        }
        out.printf("%d passed, %d failed%n", passed, failed);
        out.flush();
        return failed == 0 ? 0 : GatehousePolicyCommand.INVALID;
    }
}
