package io.gatehouse.policy.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden files: each {@code load/bad/NAME.yaml} sits next to {@code NAME.errors}, the exact text {@code check NAME.yaml}
 * prints. Run with {@code -Dgolden.update=true} to rewrite the {@code .errors} files after a deliberate change,
 * then review the diff.
 */
class GoldenErrorsTest {
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    @TestFactory
    Stream<DynamicTest> loadWhenFileIsBadThenErrorsMatchTheGoldenFile() throws IOException, URISyntaxException {
        Path dir = Path.of(GoldenErrorsTest.class.getResource("/load/bad").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(10);
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> check(file)));
    }

    private static void check(Path file) throws IOException {
        String name = file.getFileName().toString();
        LoadResult result = PolicyLoader.load(name, Files.readString(file, StandardCharsets.UTF_8));
        assertThat(result.ok()).as(name + " must not load").isFalse();
        Path golden = file.resolveSibling(name.replace(".yaml", ".errors"));
        if (UPDATE) {
            Path source = Path.of("src/test/resources/load/bad").resolve(golden.getFileName());
            Files.writeString(source, result.render(), StandardCharsets.UTF_8);
        }
        assertThat(golden).as("golden file for " + name).exists();
        assertThat(result.render()).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }
}
