package io.gatehouse.verifier;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Rules that keep the verifier module's layout true (issue #17, docs/design.md): no package depends, through any path, on
 * itself, and the core (the root package) imports neither Spring nor the servlet API, so any JVM application can
 * verify an assertion with it; the adapters live in {@code servlet} and {@code spring}.
 */
class ArchitectureTest {

    private static final String BASE = "io.gatehouse.verifier";

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages(BASE);

    @Test
    void importWhenReadThenHoldsTheModulesPackages() {
        // A rule over an empty import holds whatever the code does: make sure the rules below see the module.
        assertThat(MAIN.containPackage(BASE + ".servlet")).as("servlet").isTrue();
        assertThat(MAIN.containPackage(BASE + ".spring")).as("spring").isTrue();
    }

    @Test
    void packagesWhenComparedThenFormNoCycle() {
        // Every package its own slice, nested ones included; the root package (the core) is not one, nothing in it imports an adapter.
        slices().matching(BASE + ".(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void coreWhenImportedThenDependsOnNoFrameworkNorAdapter() {
        noClasses().that().resideInAPackage(BASE)
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..", "jakarta.servlet..", BASE + ".servlet..", BASE + ".spring..")
                .check(MAIN);
    }
}
