package io.gatehouse.deviceinventory;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Rules that keep the device-inventory module's layout true (issue #17, docs/design.md): no package depends, through any path, on
 * itself: {@code device} reads {@code trust}, never the other way, and both read {@code platform}.
 */
class ArchitectureTest {

    private static final String BASE = "io.gatehouse.deviceinventory";

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages(BASE);

    @Test
    void importWhenReadThenHoldsTheModulesPackages() {
        // A rule over an empty import holds whatever the code does: make sure the rules below see the module.
        assertThat(MAIN.containPackage(BASE + ".device")).as("device").isTrue();
        assertThat(MAIN.containPackage(BASE + ".trust")).as("trust").isTrue();
        assertThat(MAIN.containPackage(BASE + ".platform")).as("platform").isTrue();
        assertThat(MAIN.containPackage(BASE + ".posture")).as("posture").isTrue();
        assertThat(MAIN.containPackage(BASE + ".web")).as("web").isTrue();
    }

    @Test
    void packagesWhenComparedThenFormNoCycle() {
        // Every package its own slice, nested ones included; the root package holds only the application class.
        slices().matching(BASE + ".(**)").should().beFreeOfCycles().check(MAIN);
    }
}
