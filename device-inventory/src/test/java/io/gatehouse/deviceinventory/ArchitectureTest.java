package io.gatehouse.deviceinventory;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.gatehouse.testsupport.LayoutRules;
import org.junit.jupiter.api.Test;

/**
 * Rules that keep the device-inventory module's layout true (issue #17, docs/design.md): no package depends, through any path, on
 * itself: {@code device} reads {@code trust}, never the other way, and both read {@code platform}.
 */
class ArchitectureTest {

    private static final String BASE = "io.gatehouse.deviceinventory";

    private static final JavaClasses MAIN = LayoutRules.mainClasses(BASE);

    @Test
    void importWhenReadThenHoldsTheModulesPackages() {
        // A rule over an empty import holds whatever the code does: make sure the rules below see the module.
        LayoutRules.requirePackages(MAIN, BASE, "device", "trust", "platform", "posture", "web");
    }

    @Test
    void packagesWhenComparedThenFormNoCycle() {
        // Every package its own slice, nested ones included; the root package holds only the application class.
        LayoutRules.noPackageCycles(BASE).check(MAIN);
    }
}
