package io.gatehouse.e2e;

import java.nio.file.Path;

/**
 * Moved: {@link io.gatehouse.testsupport.RedisServer} in the test-support module. This shim keeps tests written
 * against the old name compiling for one merge; new code imports the shared class.
 *
 * @deprecated use {@link io.gatehouse.testsupport.RedisServer}; this shim goes once no test names it (issue #17)
 */
@Deprecated(forRemoval = true)
final class RedisServer implements AutoCloseable {

    static final String BINARY = io.gatehouse.testsupport.RedisServer.BINARY;

    private final io.gatehouse.testsupport.RedisServer shared;

    private RedisServer(io.gatehouse.testsupport.RedisServer shared) {
        this.shared = shared;
    }

    static RedisServer start(Path dir) {
        return new RedisServer(io.gatehouse.testsupport.RedisServer.start(dir));
    }

    int port() {
        return shared.port();
    }

    @Override
    public void close() {
        shared.close();
    }
}
