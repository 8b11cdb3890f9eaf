package io.gatehouse.gateway.decisionlog;

import io.gatehouse.gateway.exchange.Addresses;
import io.gatehouse.gateway.RequestContext;
import io.gatehouse.gateway.config.LiveConfig;
import io.gatehouse.gateway.hygiene.DecoderRefusal;
import io.gatehouse.policy.Reason;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.server.logging.AccessLog;
import reactor.netty.http.server.logging.AccessLogArgProvider;
import reactor.netty.http.server.logging.AccessLogFactory;

/**
 * The requests RECORD never sees: Netty's HTTP decoder refuses a malformed request (a bad request line or header,
 * conflicting Content-Length values, an oversized line or header block) and Reactor Netty answers it 400, 414 or 431
 * before any WebFilter runs. Hooked into the public listener as its access log, this sees every response the server
 * writes; for an error response RECORD did not answer (no {@code X-Request-Id}) it hands the decision log a deny line
 * with what the decoder left readable. It writes no access log of its own. Like RECORD it never logs the query string.
 * Headers are looked up by their lower-case names, the only spelling HTTP/2 has.
 */
final class DecoderRejections implements AccessLogFactory {

    private static final String CODE = "http-decoder-refused";

    private final DecisionLogWriter writer;
    private final LiveConfig config;

    DecoderRejections(DecisionLogWriter writer, LiveConfig config) {
        this.writer = Objects.requireNonNull(writer, "writer");
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public @Nullable AccessLog apply(AccessLogArgProvider response) {
        int status = status(response.status());
        if (status < 400 || header(response, true, "x-request-id") != null) {
            return null; // answered by the stages, which logged it themselves
        }
        writer.submit(event(response, status));
        return null;
    }

    private DecisionLogEvent event(AccessLogArgProvider response, int status) {
        // The same who and why as a request HYGIENE turned away: anonymous, denied before a decision, with a reason.
        RequestContext context = new RequestContext(RecordWebFilter.newRequestId(), System.nanoTime());
        String finding = header(response, false, DecoderRefusal.HEADER);
        context.rejected(new Reason(CODE, "malformed HTTP request: refused by the HTTP decoder before the gateway's"
                + " stages (status " + status + (finding == null ? "" : ": " + finding) + ")"));
        String host = header(response, false, "host");
        DecisionLogEvent.What what = new DecisionLogEvent.What(text(response.method()),
                host != null ? host : header(response, false, ":authority"), path(text(response.uri())), null);
        DecisionLogEvent.Where where = new DecisionLogEvent.Where(ip(response.remoteAddress()),
                header(response, false, "user-agent"), null, null, null);
        Instant started = response.accessDateTime() == null ? Instant.now() : response.accessDateTime().toInstant();
        return RecordWebFilter.line(started, context.requestId(), null, RecordWebFilter.who(context), what,
                RecordWebFilter.why(context), where, status, response.duration(), config.current().version(), null);
    }

    /**
     * A request or response header by its lower-case name. HTTP/1.1 headers are looked up ignoring case, but HTTP/2's
     * are not: their names are lower case on the wire (RFC 9113, 8.2.1), and Netty's HTTP/2 headers compare names
     * exactly. Asked for "X-Request-Id", an HTTP/2 response never had one, and every error the stages answered over
     * HTTP/2 was logged a second time as a decoder refusal.
     */
    private static @Nullable String header(AccessLogArgProvider exchange, boolean response, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return text(response ? exchange.responseHeader(lower) : exchange.requestHeader(lower));
    }

    private static int status(@Nullable CharSequence status) {
        try {
            return status == null ? 0 : Integer.parseInt(status.toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static @Nullable String text(@Nullable CharSequence value) {
        return value == null ? null : value.toString();
    }

    /** The request target without its query string (which may carry a credential), or null. */
    private static @Nullable String path(@Nullable String target) {
        if (target == null) {
            return null;
        }
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }

    private static @Nullable String ip(@Nullable SocketAddress peer) {
        return peer instanceof InetSocketAddress address && address.getAddress() != null
                ? Addresses.ip(address.getAddress()) : null;
    }
}
