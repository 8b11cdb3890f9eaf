package io.gatehouse.gateway.testing;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingMethod;
import reactor.blockhound.BlockingOperationError;
import reactor.netty.resources.LoopResources;

/**
 * BlockHound for gateway tests (STYLE.md, "Tests"): a blocking call (sleep, park, file or socket I/O) on a
 * non-blocking thread — a Netty event loop or Reactor's parallel scheduler — raises {@link BlockingOperationError}
 * there and is recorded; each test of a class with this extension fails afterwards, naming every such call.
 *
 * <p>{@link BlockHound#install} is once per JVM and cannot be undone, and failsafe runs every {@code *IT} in one JVM.
 * So the callback only acts while a class with this extension runs; other classes in the same JVM run as before.
 */
public final class BlockHoundExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private static final AtomicInteger ACTIVE = new AtomicInteger();
    private static final List<String> FOUND = new CopyOnWriteArrayList<>();

    static {
        BlockHound.install(builder -> builder
                // Loading a class reads the jar; it happens once per class, not per request.
                .allowBlockingCallsInside("java.lang.ClassLoader", "loadClass")
                .blockingMethodCallback(BlockHoundExtension::blocked));
    }

    private static void blocked(BlockingMethod method) {
        if (ACTIVE.get() == 0) {
            return;
        }
        BlockingOperationError error = new BlockingOperationError(method);
        StackTraceElement origin = firstGatewayFrame(error.getStackTrace());
        FOUND.add(method + " on " + Thread.currentThread().getName()
                + (origin == null ? "" : " from " + origin));
        throw error;
    }

    private static @Nullable StackTraceElement firstGatewayFrame(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            if (frame.getClassName().startsWith("io.gatehouse.")) {
                return frame;
            }
        }
        return null;
    }

    /** Makes sure BlockHound is installed (the class initialiser does it); for tests that use it without the extension. */
    public static void install() {
        ACTIVE.get();
    }

    /** Runs {@code body} with BlockHound enforcing, for a focused test without the extension on its class. */
    public static void enforcing(Runnable body) {
        ACTIVE.incrementAndGet();
        try {
            body.run();
        } finally {
            ACTIVE.decrementAndGet();
        }
    }

    /** The blocking calls seen so far (and clears the record). */
    public static List<String> takeFound() {
        List<String> found = List.copyOf(FOUND);
        FOUND.clear();
        return found;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        FOUND.clear();
        ACTIVE.incrementAndGet();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> found = takeFound();
        if (!found.isEmpty()) {
            throw new AssertionError("blocking calls on non-blocking threads:\n  " + String.join("\n  ", found));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ACTIVE.decrementAndGet();
    }

    /**
     * Runs {@code body} on one of {@code loops}' event loops; what it threw (a {@link BlockingOperationError} when it
     * blocked there), or null. Waits with a timed get, not orTimeout: orTimeout's canceller would run on the event
     * loop at completion and take the JDK delay scheduler's lock there, and when the next orTimeout held it,
     * BlockHound threw inside the lock's park and left the lock's queue broken: the test then hung.
     */
    public static @Nullable Throwable onEventLoop(LoopResources loops, Runnable body) {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        loops.onClient(true).next().execute(() -> {
            try {
                body.run();
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        try {
            return outcome.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("no outcome from the event loop", e);
        }
    }
}
