package io.gatehouse.gateway.decisionlog;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The decision log's stdout appender: each message alone, as one UTF-8 line, flushed, on whatever
 * {@code System.out} is at the time. Unlike Logback's {@code ConsoleAppender} (whose PrintStream swallows I/O
 * errors and which stops for good on the first one it does see), it keeps trying, and it records every line stdout
 * refused ({@link PrintStream#checkError()}), so the writer can count the line as dropped and report the sink
 * failing. A failed stdout stays failed for this PrintStream (the JDK keeps its error flag, and only a subclass may
 * clear it), which is the truth for a closed pipe; after a full disk is freed it errs on the side of "lost".
 * Writing to {@code FileDescriptor.out} directly would report each failure on its own, but would bypass whatever
 * replaced {@code System.out} (a test runner's capture, whose channel raw bytes would corrupt).
 */
final class StdoutAppender extends AppenderBase<ILoggingEvent> {

    private static final byte[] NEWLINE = System.lineSeparator().getBytes(StandardCharsets.UTF_8);

    private final AtomicLong failures = new AtomicLong();
    private volatile @Nullable String lastFailure;

    @Override
    protected void append(ILoggingEvent event) {
        PrintStream out = System.out;
        byte[] line = event.getFormattedMessage().getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[line.length + NEWLINE.length];
        System.arraycopy(line, 0, bytes, 0, line.length);
        System.arraycopy(NEWLINE, 0, bytes, line.length, NEWLINE.length);
        out.write(bytes, 0, bytes.length);
        out.flush();
        if (out.checkError()) {
            lastFailure = "stdout refused the line (PrintStream error: closed pipe, full disk or similar)";
            failures.incrementAndGet();
        }
    }

    /** How many lines stdout refused so far; the writer compares it before and after a line. */
    long failures() {
        return failures.get();
    }

    /** Throws when stdout refused a line since {@code failuresBefore} was read. */
    void check(long failuresBefore) throws IOException {
        if (failures.get() != failuresBefore) {
            throw new IOException(String.valueOf(lastFailure));
        }
    }
}
