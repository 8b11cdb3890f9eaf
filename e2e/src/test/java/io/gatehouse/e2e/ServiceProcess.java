package io.gatehouse.e2e;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Moved: {@link io.gatehouse.testsupport.ServiceProcess} in the test-support module. This shim keeps tests written
 * against the old name compiling for one merge; new code imports the shared class.
 *
 * @deprecated use {@link io.gatehouse.testsupport.ServiceProcess}; this shim goes once no test names it (issue #17)
 */
@Deprecated(forRemoval = true)
final class ServiceProcess implements AutoCloseable {

    private final io.gatehouse.testsupport.ServiceProcess shared;

    private ServiceProcess(io.gatehouse.testsupport.ServiceProcess shared) {
        this.shared = shared;
    }

    static ServiceProcess launch(String name, Path jar, Path dir, List<String> jvmOptions, List<String> args, URI health) {
        return new ServiceProcess(io.gatehouse.testsupport.ServiceProcess.launch(name, jar, dir, jvmOptions, args, health));
    }

    void start() {
        shared.start();
    }

    ServiceProcess awaitReady() {
        shared.awaitReady();
        return this;
    }

    void stop() {
        shared.stop();
    }

    @Override
    public void close() {
        shared.close();
    }
}
