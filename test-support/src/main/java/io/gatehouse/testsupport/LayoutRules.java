package io.gatehouse.testsupport;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.List;

/**
 * The layout rules every module's {@code ArchitectureTest} checks (issue 17, docs/design.md), written once: what a
 * module's main code is, that the import really holds the packages a rule is about, and no package cycles.
 */
public final class LayoutRules {

    private LayoutRules() {
    }

    /** The module's own main classes under {@code rootPackage}: no test classes, nothing from jars. */
    public static JavaClasses mainClasses(String rootPackage) {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(rootPackage);
    }

    /**
     * Fails unless {@code classes} hold each {@code rootPackage.subpackage}: a rule over an empty or partial import
     * holds whatever the code does, so each ArchitectureTest first makes sure its rules see the module.
     */
    public static void requirePackages(JavaClasses classes, String rootPackage, String... subpackages) {
        List<String> missing = new ArrayList<>();
        for (String sub : subpackages) {
            if (!classes.containPackage(rootPackage + "." + sub)) {
                missing.add(rootPackage + "." + sub);
            }
        }
        if (!missing.isEmpty()) {
            throw new AssertionError("the imported classes hold no " + missing + ": the layout rules would see nothing there");
        }
    }

    /**
     * No package below {@code rootPackage} depends, through any path, on itself: every package a slice, nested ones
     * included. The root package is not a slice: a module's API or application class lives there and may be used by
     * every package (and use them) by design.
     */
    public static ArchRule noPackageCycles(String rootPackage) {
        return slices().matching(rootPackage + ".(**)").should().beFreeOfCycles()
                .because("packages below " + rootPackage + " must form no cycle (issue 17, docs/design.md)");
    }
}
