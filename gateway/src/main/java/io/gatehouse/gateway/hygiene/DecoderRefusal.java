package io.gatehouse.gateway.hygiene;

import org.jspecify.annotations.Nullable;

/**
 * Why the HTTP/1.1 decoder refused a request, carried to the decision log on the failed request itself: the request
 * never reaches a stage, and the decision log's decoder-rejection hook sees only what Reactor Netty's access log
 * offers (method, target, headers, status). {@link StrictHttp1Codec} sets the header on every request it fails,
 * replacing one the client may have sent; a request that is not failed never keeps it (HYGIENE strips every
 * {@code X-Gatehouse-*}).
 */
public final class DecoderRefusal {

    /** The header on a failed request that names the decoder's finding. */
    public static final String HEADER = "X-Gatehouse-Decoder-Refusal";

    private static final int MAX_LENGTH = 200;

    private DecoderRefusal() {
    }

    /** The decoder's message, printable ASCII only and at most 200 characters: it may quote the client's bytes. */
    static String describe(@Nullable Throwable cause) {
        String message = cause == null || cause.getMessage() == null
                ? (cause == null ? "unknown" : cause.getClass().getSimpleName()) : cause.getMessage();
        StringBuilder clean = new StringBuilder(Math.min(message.length(), MAX_LENGTH));
        for (int i = 0; i < message.length() && clean.length() < MAX_LENGTH; i++) {
            char c = message.charAt(i);
            clean.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return clean.toString();
    }
}
