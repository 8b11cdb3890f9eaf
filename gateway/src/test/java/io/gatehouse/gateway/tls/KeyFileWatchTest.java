package io.gatehouse.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settle rule and the once-per-version rule of the key-file watcher, one look at a time (no thread). */
class KeyFileWatchTest {

    @TempDir
    Path dir;

    @Test
    void lookWhenFileChangesThenReloadOnlyAfterItStayedTheSameForOneMoreLook() throws Exception {
        Path key = Files.writeString(dir.resolve("key.pem"), "one");
        AtomicInteger reloads = new AtomicInteger();
        KeyFileWatch watch = new KeyFileWatch("test", List.of(key), reloads::incrementAndGet);

        assertThat(watch.look()).isFalse();
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nhalf"); // first half written
        assertThat(watch.look()).isFalse();
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nhalf and the rest\n-----END PRIVATE KEY-----\n");
        assertThat(watch.look()).isFalse(); // still changing: wait
        assertThat(watch.look()).isTrue(); // the same twice: read it
        assertThat(reloads).hasValue(1);
    }

    @Test
    void lookWhenReloadOfAVersionDoneThenNotRepeatedUntilTheFilesChangeAgain() throws Exception {
        Path key = Files.writeString(dir.resolve("key.pem"), "one");
        AtomicInteger reloads = new AtomicInteger();
        KeyFileWatch watch = new KeyFileWatch("test", List.of(key), reloads::incrementAndGet);
        Files.writeString(key, "broken");
        watch.look();
        watch.look();

        for (int i = 0; i < 5; i++) {
            assertThat(watch.look()).isFalse();
        }
        Files.delete(key); // a missing file is a change too (and the loader will say so)
        watch.look();
        assertThat(watch.look()).isTrue();
        assertThat(reloads).hasValue(2);
    }
}
