package io.gatehouse.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.gatehouse.testsupport.LayoutRules;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Configuration;

/**
 * The layout of the gateway, as rules (issue 17, docs/architecture.md "Rules that keep the layout"): no package
 * cycles; the stage packages import only downward along the request path — a stage may use what the stages before
 * it produce, never a stage after it; the shared packages import no stage; {@code decision} does not import
 * {@code login} (browser login is behind {@link io.gatehouse.gateway.decision.LoginStart}). Spring
 * {@code @Configuration} classes wire the stages and may read any stage's properties; they are not the request path.
 */
class GatewayArchitectureTest {

    private static final String BASE = "io.gatehouse.gateway.";

    /**
     * The stage packages in request-path order (RequestStage; STYLE.md numbers RECORD's package, decisionlog, 7: it
     * runs first but reads every stage's result at the end). Packages in one inner list are one stage.
     */
    static final List<List<String>> STAGES = List.of(
            List.of("hygiene"),
            List.of("authn", "session"),
            List.of("device"),
            List.of("decision"),
            List.of("login"),
            List.of("assertion"),
            List.of("forward"),
            List.of("decisionlog"),
            List.of("decisionservice"),

            // Continuous authorization (issue 22): re-decides open connections with every stage's code and writes
            // decision-log lines, so it comes after decisionlog; no stage imports it.
            List.of("longlived"));

    /** Shared by every stage; they import no stage package. */
    static final List<String> SHARED = List.of("exchange", "problem", "claims", "settings", "tls", "config", "management",
            "listener", "applog");

    private static final JavaClasses MAIN = LayoutRules.mainClasses("io.gatehouse.gateway");

    @Test
    void packagesWhenImportedThenNoCycles() {
        LayoutRules.requirePackages(MAIN, "io.gatehouse.gateway", "hygiene", "decision", "forward", "decisionlog");
        LayoutRules.noPackageCycles("io.gatehouse.gateway").check(MAIN);
    }

    @Test
    void stageWhenImportingThenOnlyStagesBeforeIt() {
        for (int i = 0; i < STAGES.size(); i++) {
            String[] later = STAGES.subList(i + 1, STAGES.size()).stream().flatMap(List::stream)
                    .map(p -> BASE + p + "..").toArray(String[]::new);
            if (later.length == 0) {
                continue;
            }
            String[] here = STAGES.get(i).stream().map(p -> BASE + p + "..").toArray(String[]::new);
            noClasses().that().resideInAnyPackage(here).and().areNotAnnotatedWith(Configuration.class)
                    .should().dependOnClassesThat().resideInAnyPackage(later)
                    .because("a stage imports only the stages before it on the request path (" + STAGES + ")")
                    .check(MAIN);
        }
    }

    @Test
    void sharedPackageWhenImportingThenNoStage() {
        String[] shared = SHARED.stream().map(p -> BASE + p + "..").toArray(String[]::new);
        String[] stages = STAGES.stream().flatMap(List::stream).map(p -> BASE + p + "..").toArray(String[]::new);
        noClasses().that().resideInAnyPackage(shared).should().dependOnClassesThat().resideInAnyPackage(stages)
                .because("shared packages may be imported by every stage, so they import none")
                .check(MAIN);
    }

    @Test
    void decisionWhenImportingThenNeverLogin() {
        noClasses().that().resideInAPackage(BASE + "decision..")
                .should().dependOnClassesThat().resideInAPackage(BASE + "login..")
                .because("browser login is behind decision.LoginStart, implemented in login")
                .check(MAIN);
    }

    @Test
    void everyPackageWhenListedThenAStageOrShared() {
        List<String> known = new java.util.ArrayList<>(SHARED);
        STAGES.forEach(known::addAll);
        List<String> packages = MAIN.stream().map(c -> c.getPackageName())
                .filter(p -> p.startsWith(BASE)).map(p -> p.substring(BASE.length()).split("\\.")[0])
                .distinct().toList();
        org.assertj.core.api.Assertions.assertThat(known).as("add a new package to STAGES or SHARED")
                .containsAll(packages);
    }
}
