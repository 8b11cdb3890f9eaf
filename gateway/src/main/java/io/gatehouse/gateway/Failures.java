package io.gatehouse.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import org.springframework.core.codec.CodecException;
import org.springframework.web.reactive.function.client.WebClientException;

/**
 * What the request path may catch (issue 17, "Catch only what you mean"; docs/design.md, failure table): failed I/O
 * and timeouts of the services the gateway calls are expected and each stage answers them as documented (503, the
 * posture "unreachable", a session kept while the IdP is down). Anything else is a bug: it is not caught, the error
 * handler answers 500 with the request id and logs it, and the stage counts it in
 * {@code gatehouse_internal_errors_total{stage}} ({@link #internalErrors}).
 */
public final class Failures {

    private Failures() {
    }

    /** Whether {@code error} or one of its causes is one of {@code types}. */
    @SafeVarargs
    public static boolean causedBy(Throwable error, Class<? extends Throwable>... types) {
        int depth = 0;
        for (Throwable t = error; t != null && depth < 16; t = t.getCause(), depth++) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(t)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Failed I/O or a timeout: {@link IOException} (also unchecked), {@link TimeoutException}, a WebClient request
     * or error-status response, or an answer that could not be decoded ({@link CodecException}).
     */
    public static boolean io(Throwable error) {
        return causedBy(error, IOException.class, UncheckedIOException.class, TimeoutException.class,
                WebClientException.class, CodecException.class);
    }

    /** The counter of bugs that surfaced in {@code stage} ({@code authenticate}, {@code device}, {@code login}). */
    public static Counter internalErrors(MeterRegistry meters, String stage) {
        return Counter.builder("gatehouse_internal_errors").tag("stage", stage.toLowerCase(Locale.ROOT))
                .description("errors that are not failed I/O (bugs), answered 500, by the stage they surfaced in")
                .register(meters);
    }
}
