package io.gatehouse.policy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.gatehouse.testsupport.LayoutRules;
import org.junit.jupiter.api.Test;

/**
 * Rules that keep the policy module's layout true (issue #17, docs/design.md): no package depends, through any path, on
 * itself, and nothing imports Spring, so the CLI and every embedding of the engine stay framework-free.
 * The root package is the module's API (value types and {@code CompiledConfig}, the facade over {@code eval}); it is
 * left out of the cycle rule because the facade and the evaluator it calls share those value types by design.
 */
class ArchitectureTest {

    private static final String BASE = "io.gatehouse.policy";

    private static final JavaClasses MAIN = LayoutRules.mainClasses(BASE);

    @Test
    void importWhenReadThenHoldsTheModulesPackages() {
        // A rule over an empty import holds whatever the code does: make sure the rules below see the module.
        LayoutRules.requirePackages(MAIN, BASE, "load", "criteria", "parse", "model", "eval");
    }

    @Test
    void packagesWhenComparedThenFormNoCycle() {
        // Every package its own slice, nested ones included; the root package (the API) is not one.
        LayoutRules.noPackageCycles(BASE).check(MAIN);
    }

    @Test
    void policyWhenImportedThenDependsOnNothingFromSpring() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..").check(MAIN);
    }
}
