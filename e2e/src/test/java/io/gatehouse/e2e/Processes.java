package io.gatehouse.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Moved: {@link io.gatehouse.testsupport.Processes} in the test-support module. This shim keeps tests written
 * against the old name compiling for one merge; new code imports the shared class.
 *
 * @deprecated use {@link io.gatehouse.testsupport.Processes}; this shim goes once no test names it (issue #17)
 */
@Deprecated(forRemoval = true)
final class Processes {

    private Processes() {
    }

    static void run(Path dir, Path log, Duration timeout, List<String> command, Map<String, String> env) {
        io.gatehouse.testsupport.Processes.run(dir, log, timeout, command, env);
    }

    static String tail(Path log) {
        return io.gatehouse.testsupport.Processes.tail(log);
    }

    static int freePort() {
        return io.gatehouse.testsupport.Processes.freePort();
    }

    static boolean isFree(int port) {
        return io.gatehouse.testsupport.Processes.isFree(port);
    }
}
