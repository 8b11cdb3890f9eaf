package io.gatehouse.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/** The shared layout rules catch what they promise to, on fixture packages (layoutfixture). */
class LayoutRulesTest {

    private static final String CYCLIC = "io.gatehouse.testsupport.layoutfixture.cyclic";
    private static final String ACYCLIC = "io.gatehouse.testsupport.layoutfixture.acyclic";

    @Test
    void whenTwoPackagesUseEachOtherThenNoPackageCyclesIsViolated() {
        JavaClasses classes = new ClassFileImporter().importPackages(CYCLIC);

        assertThat(LayoutRules.noPackageCycles(CYCLIC).evaluate(classes).hasViolation()).isTrue();
    }

    @Test
    void whenPackagesDependOneWayThenNoPackageCyclesHolds() {
        JavaClasses classes = new ClassFileImporter().importPackages(ACYCLIC);

        assertThat(LayoutRules.noPackageCycles(ACYCLIC).evaluate(classes).hasViolation()).isFalse();
    }

    @Test
    void whenAPackageIsMissingFromTheImportThenRequirePackagesFailsNamingIt() {
        JavaClasses classes = new ClassFileImporter().importPackages(ACYCLIC);

        assertThatCode(() -> LayoutRules.requirePackages(classes, ACYCLIC, "a", "b")).doesNotThrowAnyException();
        assertThatThrownBy(() -> LayoutRules.requirePackages(classes, ACYCLIC, "a", "c"))
                .isInstanceOf(AssertionError.class).hasMessageContaining(ACYCLIC + ".c");
    }

    @Test
    void whenMainClassesImportedThenTestClassesAreLeftOut() {
        JavaClasses main = LayoutRules.mainClasses("io.gatehouse.testsupport");

        assertThat(main.contain(LayoutRules.class)).isTrue();
        assertThat(main.containPackage(CYCLIC + ".a")).isFalse();
    }
}
