package io.gatehouse.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every rendering a platform team can apply keeps every zero-trust rule in {@link Checks}. */
class RenderedManifestsTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"base", "overlays/eks", "overlays/istio", "overlays/istio-ext-authz", "overlays/cilium"})
    void renderWhenOverlayBuiltThenEveryRuleHolds(String kustomization) {
        List<HasMetadata> objects = Kustomize.render(kustomization);

        assertThat(new Workloads(objects).all()).hasSize(3);
        assertThat(Checks.all(objects)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"base", "overlays/eks", "overlays/istio", "overlays/istio-ext-authz", "overlays/cilium",
        "policies", "observability"})
    void renderWhenOverlayBuiltThenScopesAndKindsAreRight(String kustomization) {
        List<HasMetadata> objects = Kustomize.render(kustomization);

        assertThat(objects).isNotEmpty();
        assertThat(Checks.typedAndKnown(objects)).isEmpty();
        assertThat(Checks.scope(objects)).isEmpty();
    }
}
