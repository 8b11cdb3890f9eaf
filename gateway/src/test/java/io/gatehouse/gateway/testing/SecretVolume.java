package io.gatehouse.gateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A directory laid out and updated the way the kubelet updates a Kubernetes Secret (or ConfigMap) volume: the files
 * live in a timestamped {@code ..2026_…} directory, {@code ..data} is a symlink to it, and each visible file is a
 * symlink {@code name -> ..data/name}. {@link #publish(Map)} writes a new timestamped directory and swaps
 * {@code ..data} with one atomic rename, so a reader sees either the old set or the new set of files, never a mix.
 */
public final class SecretVolume {

    private final Path dir;
    private final AtomicInteger generation = new AtomicInteger();

    private SecretVolume(Path dir) {
        this.dir = dir;
    }

    public static SecretVolume create(Path dir) {
        try {
            Files.createDirectories(dir);
            return new SecretVolume(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The path a pod would read: {@code dir/name}, a symlink through {@code ..data}. */
    public Path file(String name) {
        return dir.resolve(name);
    }

    /** Replaces the whole set of files at once (a new Secret version); names not given disappear from {@code ..data}. */
    public void publish(Map<String, byte[]> files) {
        try {
            Path version = dir.resolve("..2026_12_06_" + generation.incrementAndGet());
            Files.createDirectories(version);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Files.write(version.resolve(f.getKey()), f.getValue());
            }
            Path tmp = dir.resolve("..data_tmp");
            Files.deleteIfExists(tmp);
            Files.createSymbolicLink(tmp, version.getFileName());
            Files.move(tmp, dir.resolve("..data"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            for (String name : files.keySet()) {
                Path visible = dir.resolve(name);
                if (!Files.isSymbolicLink(visible)) {
                    Files.createSymbolicLink(visible, Path.of("..data", name));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the given files' bytes into a new version under the given names. */
    public void publishFiles(Map<String, Path> files) {
        Map<String, byte[]> bytes = new java.util.LinkedHashMap<>();
        files.forEach((name, path) -> {
            try {
                bytes.put(name, Files.readAllBytes(path));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        publish(bytes);
    }
}
