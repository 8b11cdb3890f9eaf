package io.gatehouse.gateway.exchange;

import io.gatehouse.gateway.tls.ConnectionTls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Locale;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Where a request came from and what it addressed, worked out in one place for every stage (the policy request, the
 * assertion's host, the forwarding headers, the login's redirect URLs, the decision log): the source address is the
 * TCP peer; the scheme is the listener's ({@code https} when the connection is TLS); the host is the one the client
 * addressed in the {@code Host} header (or {@code :authority}). Forwarding headers are never read here: a trusted
 * front proxy's headers are judged by the stages that need them ({@link TrustedProxies}).
 */
public final class Addresses {

    private Addresses() {
    }

    /** The TCP peer's address; "0.0.0.0" if the server could not tell (never happens on a real socket). */
    public static String sourceIp(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        if (remote == null || remote.getAddress() == null) {
            return "0.0.0.0";
        }
        return ip(remote.getAddress());
    }

    /**
     * The address as text without an IPv6 zone ({@code fe80::1%eth0} → {@code fe80::1}): the zone names an interface
     * of this host, not the client, and neither a policy CIDR nor the decision log's schema has room for it.
     */
    public static String ip(InetAddress address) {
        String text = address.getHostAddress();
        int zone = text.indexOf('%');
        return zone < 0 ? text : text.substring(0, zone);
    }

    /** {@code https} when the request came over TLS, else {@code http}. */
    public static String scheme(ServerHttpRequest request) {
        return ConnectionTls.secure(request) ? "https" : "http";
    }

    /** The Host the client addressed (with its port, if it named one), lower-cased: what X-Forwarded-Host carries. */
    public static String host(ServerHttpRequest request) {
        String host = request.getHeaders().getFirst("Host");
        if (host == null || host.isEmpty()) {
            host = request.getURI().getRawAuthority();
        }
        return host == null ? "" : host.toLowerCase(Locale.ROOT);
    }

    /**
     * The Host the client addressed in canonical form, lower-cased and without the scheme's default port
     * ({@code App.Example:443} over HTTPS is {@code app.example}; {@code :80} over HTTP). Any other port stays.
     */
    public static String canonicalHost(ServerHttpRequest request) {
        String host = host(request);
        String defaultPort = "https".equals(scheme(request)) ? ":443" : ":80";
        // A bracketed IPv6 literal ends in ']' unless a port follows, so "[::1]:443" is "[::1]" and "[::443]" stays.
        return host.endsWith(defaultPort) && host.length() > defaultPort.length()
                ? host.substring(0, host.length() - defaultPort.length()) : host;
    }

    /** The host name alone (no port), lower-cased, as Spring parsed it from the Host header; "" when there is none. */
    public static String hostName(ServerHttpRequest request) {
        String host = request.getURI().getHost();
        return host == null ? "" : host.toLowerCase(Locale.ROOT);
    }

    /** The port the client addressed; the scheme's default (443 or 80) when it named none. */
    public static int port(ServerHttpRequest request) {
        int port = request.getURI().getPort();
        return port >= 0 ? port : ("https".equals(scheme(request)) ? 443 : 80);
    }

    /** {@code scheme://host[:port]} of this request, the port only when it is not the scheme's default. */
    public static String origin(ServerHttpRequest request) {
        URI uri = request.getURI();
        String scheme = scheme(request);
        boolean defaultPort = uri.getPort() < 0 || (scheme.equals("https") && uri.getPort() == 443)
                || (scheme.equals("http") && uri.getPort() == 80);
        return scheme + "://" + uri.getHost() + (defaultPort ? "" : ":" + uri.getPort());
    }
}
