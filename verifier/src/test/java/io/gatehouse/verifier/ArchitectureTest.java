package io.gatehouse.verifier;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.gatehouse.testsupport.LayoutRules;
import org.junit.jupiter.api.Test;

/**
 * Rules that keep the verifier module's layout true (issue #17, docs/design.md): no package depends, through any path, on
 * itself, and the core (the root package) imports neither Spring nor the servlet API, so any JVM application can
 * verify an assertion with it; the adapters live in {@code servlet} and {@code spring}.
 */
class ArchitectureTest {

    private static final String BASE = "io.gatehouse.verifier";

    private static final JavaClasses MAIN = LayoutRules.mainClasses(BASE);

    @Test
    void importWhenReadThenHoldsTheModulesPackages() {
        // A rule over an empty import holds whatever the code does: make sure the rules below see the module.
        LayoutRules.requirePackages(MAIN, BASE, "servlet", "spring");
    }

    @Test
    void packagesWhenComparedThenFormNoCycle() {
        // Every package its own slice, nested ones included; the root package (the core) is not one, nothing in it imports an adapter.
        LayoutRules.noPackageCycles(BASE).check(MAIN);
    }

    @Test
    void coreWhenImportedThenDependsOnNoFrameworkNorAdapter() {
        noClasses().that().resideInAPackage(BASE)
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..", "jakarta.servlet..", BASE + ".servlet..", BASE + ".spring..")
                .check(MAIN);
    }
}
