package io.gatehouse.policy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Rules that keep the policy module's layout true (issue #17, docs/design.md): no package depends, through any path, on
 * itself, and nothing imports Spring, so the CLI and every embedding of the engine stay framework-free.
 * The root package is the module's API (value types and {@code CompiledConfig}, the facade over {@code eval}); it is
 * left out of the cycle rule because the facade and the evaluator it calls share those value types by design.
 */
class ArchitectureTest {

    private static final String BASE = "io.gatehouse.policy";

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages(BASE);

    @Test
    void importWhenReadThenHoldsTheModulesPackages() {
        // A rule over an empty import holds whatever the code does: make sure the rules below see the module.
        assertThat(MAIN.containPackage(BASE + ".load")).as("load").isTrue();
        assertThat(MAIN.containPackage(BASE + ".criteria")).as("criteria").isTrue();
        assertThat(MAIN.containPackage(BASE + ".parse")).as("parse").isTrue();
        assertThat(MAIN.containPackage(BASE + ".model")).as("model").isTrue();
        assertThat(MAIN.containPackage(BASE + ".eval")).as("eval").isTrue();
    }

    @Test
    void packagesWhenComparedThenFormNoCycle() {
        // Every package its own slice, nested ones included; the root package (the API) is not one.
        slices().matching(BASE + ".(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void policyWhenImportedThenDependsOnNothingFromSpring() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..").check(MAIN);
    }
}
