package io.gatehouse.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The pod-creating objects of a rendered set, each with its pod template, and small lookups over the set. */
record Workloads(List<HasMetadata> objects) {

    record Workload(HasMetadata owner, PodTemplateSpec template) {
        String namespace() {
            return owner.getMetadata().getNamespace();
        }

        String describe() {
            return owner.getKind() + " " + namespace() + "/" + owner.getMetadata().getName();
        }

        Map<String, String> podLabels() {
            Map<String, String> labels = template.getMetadata() == null ? null : template.getMetadata().getLabels();
            return labels == null ? Map.of() : labels;
        }
    }

    List<Workload> all() {
        List<Workload> found = new ArrayList<>();
        for (HasMetadata o : objects) {
            if (o instanceof Deployment d) {
                found.add(new Workload(d, d.getSpec().getTemplate()));
            } else if (o instanceof StatefulSet s) {
                found.add(new Workload(s, s.getSpec().getTemplate()));
            } else if (o instanceof DaemonSet ds) {
                found.add(new Workload(ds, ds.getSpec().getTemplate()));
            }
        }
        return found;
    }

    <T extends HasMetadata> List<T> ofType(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<HasMetadata> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.getKind())).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String namespace, String name) {
        return ofType(type).stream()
                .filter(o -> name.equals(o.getMetadata().getName()))
                .filter(o -> namespace == null || namespace.equals(o.getMetadata().getNamespace()))
                .findFirst();
    }

    static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }
}
