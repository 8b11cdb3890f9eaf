package io.gatehouse.hello;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.gatehouse.testsupport.LayoutRules;
import org.junit.jupiter.api.Test;

/**
 * Rules that keep the hello-app example module's layout true (issue #17, docs/design.md): no package depends, through any path, on
 * itself, so the example reads as the layout it teaches.
 */
class ArchitectureTest {

    private static final String BASE = "io.gatehouse.hello";

    private static final JavaClasses MAIN = LayoutRules.mainClasses(BASE);

    @Test
    void importWhenReadThenHoldsTheModulesPackages() {
        // A rule over an empty import holds whatever the code does: make sure the rules below see the module.
        LayoutRules.requirePackages(MAIN, BASE, "security", "whoami");
    }

    @Test
    void packagesWhenComparedThenFormNoCycle() {
        // Every package its own slice, nested ones included; the root package holds only the application class.
        LayoutRules.noPackageCycles(BASE).check(MAIN);
    }
}
