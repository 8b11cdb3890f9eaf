package io.gatehouse.gateway.decision;

import io.gatehouse.gateway.RequestContext;
import io.gatehouse.gateway.exchange.Addresses;
import io.gatehouse.gateway.exchange.RequestFacts;
import io.gatehouse.policy.Request;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Locale;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/**
 * The one place that turns a {@link ServerWebExchange} and its {@link RequestContext} into the policy's
 * {@link Request} (STYLE.md: "exactly one class"). The URL is the one the client addressed: scheme of the listener,
 * host and port from the Host header (no port = the scheme's default, as in a route's {@code from}), and the path
 * the HYGIENE stage canonicalised (so {@code /%61dmin} is judged as {@code /admin}); the query is not part of it.
 * The source address is the TCP peer. Identity, device and device notes come from the earlier stages.
 */
public final class PolicyRequests {

    private PolicyRequests() {
    }

    public static Request from(ServerWebExchange exchange, RequestContext context, Instant now) {
        ServerHttpRequest request = exchange.getRequest();
        return new Request(
                request.getMethod().name().toUpperCase(Locale.ROOT),
                url(request, context),
                Addresses.sourceIp(request),
                now,
                context.identity(),
                context.device(),
                context.deviceNotes());
    }

    /**
     * The policy request for a request another proxy describes (the decision service): the URL from the facts' scheme,
     * host and the path HYGIENE canonicalised; the source address is the client's as the trusted proxy reported it.
     */
    public static Request from(RequestFacts facts, RequestContext context, Instant now) {
        String path = context.canonicalPath() != null ? context.canonicalPath() : facts.rawPath();
        URI url;
        try {
            url = new URI(facts.scheme(), null, facts.hostName(), facts.explicitPort(),
                    path == null || path.isEmpty() ? "/" : path, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot build the request URL from host " + facts.host() + " and path "
                    + path, e);
        }
        return new Request(facts.method(), url, facts.sourceIp(), now, context.identity(), context.device(),
                context.deviceNotes());
    }

    static URI url(ServerHttpRequest request, RequestContext context) {
        URI seen = request.getURI();
        String path = context.canonicalPath() != null ? context.canonicalPath() : seen.getRawPath();
        String scheme = Addresses.scheme(request);
        String host = Addresses.hostName(request);
        try {
            return new URI(scheme, null, host, seen.getPort(), path == null || path.isEmpty() ? "/" : path, null, null);
        } catch (URISyntaxException e) {
            // HYGIENE lets only well-formed requests through; reaching this is a bug, and the caller fails closed.
            throw new IllegalStateException("cannot build the request URL from host " + host + " and path " + path, e);
        }
    }
}
