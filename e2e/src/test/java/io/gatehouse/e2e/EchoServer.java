package io.gatehouse.e2e;

import io.gatehouse.testsupport.EchoUpstream;
import java.net.URI;

/**
 * Moved: the echo upstream is {@link EchoUpstream} in the test-support module ({@code EchoUpstream.start()
 * .prettyJson()} answers as this class did). This shim keeps tests written against the old name compiling for one
 * merge; new code uses {@link EchoUpstream}.
 *
 * @deprecated use {@link EchoUpstream}; this shim goes once no test names it (issue #17)
 */
@Deprecated(forRemoval = true)
final class EchoServer implements AutoCloseable {

    private final EchoUpstream upstream = EchoUpstream.start().prettyJson();

    URI uri() {
        return upstream.uri();
    }

    @Override
    public void close() {
        upstream.close();
    }
}
