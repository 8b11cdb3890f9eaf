package io.gatehouse.policy.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.policy.testing.PolicyTestRunner.FileResult;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every {@code cases/<criterion>.yaml} with {@link PolicyTestRunner}, the code behind {@code gatehouse-policy test};
 * one dynamic test per case, named by the case's sentence.
 */
class CaseFilesTest {

    @TestFactory
    Stream<DynamicNode> everyCaseFileCaseHolds() throws IOException, URISyntaxException {
        Path dir = Path.of(CaseFilesTest.class.getResource("/cases").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        return files.stream().map(CaseFilesTest::container);
    }

    private static DynamicNode container(Path file) {
        FileResult result;
        try {
            result = PolicyTestRunner.run(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Stream<DynamicTest> fileCheck = Stream.of(DynamicTest.dynamicTest("file runs", () -> {
            assertThat(result.fileProblem()).as(file.toString()).isNull();
            assertThat(result.cases()).isNotEmpty();
        }));
        Stream<DynamicTest> cases = result.cases().stream().map(c -> DynamicTest.dynamicTest(c.name(),
                () -> assertThat(c.problems()).as(file.getFileName() + ": " + c.name()).isEmpty()));
        return DynamicContainer.dynamicContainer(file.getFileName().toString(), Stream.concat(fileCheck, cases));
    }
}
