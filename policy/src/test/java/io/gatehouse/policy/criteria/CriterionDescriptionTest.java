package io.gatehouse.policy.criteria;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.gatehouse.policy.load.LoadResult;
import io.gatehouse.policy.load.PolicyLoader;
import io.gatehouse.policy.model.Route;
import io.gatehouse.policy.model.Rule;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every criterion says what it asks for ({@link Criterion#describe()}), so {@code gatehouse-policy explain} cannot
 * leave a condition out: each concrete implementation declares its own description (not one inherited from a base
 * such as IdentityCriterion), and every criterion of the example config, which uses each key, describes itself.
 */
class CriterionDescriptionTest {

    @Test
    void describeWhenAnyCriterionImplementationThenItDeclaresItsOwnDescription() {
        List<JavaClass> implementations = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.gatehouse.policy").stream()
                .filter(c -> c.isAssignableTo(Criterion.class) && !c.isInterface()
                        && !c.getModifiers().contains(JavaModifier.ABSTRACT))
                .toList();

        assertThat(implementations).hasSizeGreaterThanOrEqualTo(20);
        assertThat(implementations).allSatisfy(c -> assertThat(c.tryGetMethod("describe"))
                .as("%s declares describe()", c.getName()).isPresent());
    }

    @Test
    void describeWhenExampleConfigUsesEveryKeyThenEveryConditionIsAPlainNonBlankClause() throws Exception {
        LoadResult loaded = PolicyLoader.load(Path.of("../examples/policies/gatehouse.yaml"));
        assertThat(loaded.ok()).isTrue();

        for (Route route : loaded.config().routes()) {
            for (Rule rule : concat(route.policy().allow(), route.policy().deny())) {
                String text = rule.body().describe();
                assertThat(text).as(rule.name()).isNotBlank().doesNotContain("{", "null");
            }
        }
    }

    @Test
    void describeWhenValuesAreWrittenThenTheyAppearAsWritten() throws Exception {
        LoadResult loaded = PolicyLoader.load(Path.of("../examples/policies/gatehouse.yaml"));

        String trading = loaded.config().routes().stream().filter(r -> r.id().equals("trading")).findFirst()
                .orElseThrow().policy().allow().get(0).body().describe();

        assertThat(trading).isEqualTo("the user is in one of the groups traders and the user signed in at most 8h ago"
                + " and the time is within mon,tue,wed,thu,fri 07:00-22:00 Europe/Berlin");
    }

    private static List<Rule> concat(List<Rule> a, List<Rule> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
