package io.gatehouse.k8s.launch;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the kubelet would find in the cluster for a pod: ConfigMaps and Secrets by namespace and name, each a map of
 * key to bytes. Filled from the rendered manifests (the routes ConfigMap) and from test fixtures (what cert-manager,
 * trust-manager, External Secrets or the operator create). A name that is in neither is a pod that would not start.
 */
final class PodFiles {

    private final Map<String, Map<String, byte[]>> configMaps = new LinkedHashMap<>();
    private final Map<String, Map<String, byte[]>> secrets = new LinkedHashMap<>();

    PodFiles configMap(String namespace, String name, Map<String, byte[]> data) {
        configMaps.put(namespace + "/" + name, Map.copyOf(data));
        return this;
    }

    PodFiles secret(String namespace, String name, Map<String, byte[]> data) {
        secrets.put(namespace + "/" + name, Map.copyOf(data));
        return this;
    }

    PodFiles add(ConfigMap cm) {
        Map<String, byte[]> data = new LinkedHashMap<>();
        if (cm.getData() != null) {
            cm.getData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
        }
        if (cm.getBinaryData() != null) {
            cm.getBinaryData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
        }
        return configMap(cm.getMetadata().getNamespace(), cm.getMetadata().getName(), data);
    }

    PodFiles add(Secret s) {
        Map<String, byte[]> data = new LinkedHashMap<>();
        if (s.getData() != null) {
            s.getData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
        }
        if (s.getStringData() != null) {
            s.getStringData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
        }
        return secret(s.getMetadata().getNamespace(), s.getMetadata().getName(), data);
    }

    Optional<Map<String, byte[]>> configMap(String namespace, String name) {
        return Optional.ofNullable(configMaps.get(namespace + "/" + name));
    }

    Optional<Map<String, byte[]>> secret(String namespace, String name) {
        return Optional.ofNullable(secrets.get(namespace + "/" + name));
    }

    /** The secrets' keys by name (namespace/name), to compare with what External Secrets would produce. */
    Map<String, java.util.Set<String>> secretKeys() {
        Map<String, java.util.Set<String>> keys = new LinkedHashMap<>();
        secrets.forEach((name, data) -> keys.put(name, new java.util.TreeSet<>(data.keySet())));
        return keys;
    }
}
