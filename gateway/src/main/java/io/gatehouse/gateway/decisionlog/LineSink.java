package io.gatehouse.gateway.decisionlog;

import java.io.IOException;

/**
 * Where a decision-log line goes, called only from the writer thread. Returns when the line is written; throws
 * {@link IOException} when it is not (closed stdout, full disk), so the writer counts it as dropped, not as written.
 */
@FunctionalInterface
interface LineSink {

    void write(String line) throws IOException;

    /** Not written because the operator switched the decision log off; not a failure of the sink. */
    final class Disabled extends IOException {
        Disabled(String message) {
            super(message);
        }
    }
}
