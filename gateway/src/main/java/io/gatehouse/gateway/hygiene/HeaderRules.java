package io.gatehouse.gateway.hygiene;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;

/**
 * The header rows of {@link RejectedPattern}: request framing and Host checks that stop request smuggling and
 * host confusion. The HTTP/1.1 decoder already refuses some of these ({@link StrictHttp1Codec} refuses HTTP/1.1 with
 * both Content-Length and {@code Transfer-Encoding: chunked}, which Netty alone would accept by dropping
 * Content-Length); these rules are what the gateway itself guarantees for whatever reaches the WebFilter chain,
 * HTTP/1.0, HTTP/1.1 and HTTP/2 alike. Pure and thread-safe.
 */
public final class HeaderRules {

    private static final Pattern HOST = Pattern.compile(
            "(?<host>[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\\[[0-9A-Fa-f:.]{2,45}\\])(?::(?<port>[0-9]{1,5}))?");
    private static final java.util.Set<String> SENSITIVE = java.util.Set.of("authorization", "proxy-authorization",
            "cookie", "set-cookie", "x-gatehouse-assertion", "x-api-key", "x-auth-token");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");

    private HeaderRules() {
    }

    /** The first rule the headers break, given the request target as the server resolved it; empty when clean. */
    public static Optional<Rejection> check(HttpHeaders headers, URI target) {
        // forEach, not entrySet(): on a request's headers (Spring's ReadOnlyHttpHeaders) entrySet() first copies
        // every header into a new set through a stream, which was most of this method's cost (docs/performance.md,
        // "Where the pass-through time goes"). Same order, so the same first rejection.
        Rejection[] first = new Rejection[1];
        headers.forEach((name, values) -> {
            for (String value : values) {
                if (first[0] != null) {
                    return;
                }
                first[0] = controlCharacter(name, value).orElse(null);
            }
        });
        if (first[0] != null) {
            return Optional.of(first[0]);
        }
        return host(headers, target)
                .or(() -> framing(headers));
    }

    /**
     * The rules that apply to a request another proxy describes to the decision service (docs/design-next.md §2.3):
     * control characters in any header, and a well-formed host (the proxy already framed and routed the request, so
     * framing and Host-versus-target do not apply). Empty when clean.
     */
    public static Optional<Rejection> checkDescribed(HttpHeaders headers, String host) {
        Rejection[] first = new Rejection[1];
        headers.forEach((name, values) -> {
            for (String value : values) {
                if (first[0] != null) {
                    return;
                }
                first[0] = controlCharacter(name, value).orElse(null);
            }
        });
        if (first[0] != null) {
            return Optional.of(first[0]);
        }
        if (!HOST.matcher(host).matches()) {
            return Optional.of(new Rejection(RejectedPattern.MALFORMED_HOST, host, "header", "Host"));
        }
        return Optional.empty();
    }

    /**
     * A request from a client that names no host: RFC 9112, 3.2 (HTTP/1.1) and RFC 9113, 8.3.1 (https over HTTP/2,
     * where Netty turns {@code :authority} into Host) call it malformed. Reactor Netty would fill in the listener's
     * own address and the request would be routed by that. HTTP/1.0 had no Host, but a route picked by the
     * gateway's own address is no better a guess there. Separate from {@link #check}: a test's mock request has
     * no Host unless it sets one.
     */
    public static Optional<Rejection> missingHost(HttpHeaders headers) {
        return headers.containsKey(HttpHeaders.HOST) ? Optional.empty()
                : Optional.of(new Rejection(RejectedPattern.MISSING_HOST, "(none)", "header", "Host"));
    }

    private static Optional<Rejection> controlCharacter(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                // Never echo a credential into the 400 body or the decision log.
                String shown = SENSITIVE.contains(name.toLowerCase(Locale.ROOT)) ? "(value not shown)" : value;
                return Optional.of(new Rejection(RejectedPattern.HEADER_CONTROL_CHARACTER, String.valueOf(c),
                        "header " + name, shown));
            }
        }
        return Optional.empty();
    }

    private static Optional<Rejection> host(HttpHeaders headers, URI target) {
        List<String> hosts = headers.getOrEmpty(HttpHeaders.HOST);
        if (hosts.size() > 1) {
            return Optional.of(new Rejection(RejectedPattern.DUPLICATE_HOST, String.join(", ", hosts),
                    "header", "Host"));
        }
        if (hosts.isEmpty()) {
            return Optional.empty();
        }
        String value = hosts.get(0).trim();
        var m = HOST.matcher(value);
        if (!m.matches()) {
            return Optional.of(new Rejection(RejectedPattern.MALFORMED_HOST, value, "header", "Host"));
        }
        String targetHost = target.getHost();
        if (targetHost == null) {
            return Optional.empty();
        }
        boolean sameHost = m.group("host").equalsIgnoreCase(targetHost);
        int hostPort = m.group("port") == null ? -1 : Integer.parseInt(m.group("port"));
        boolean samePort = effectivePort(hostPort, target.getScheme()) == effectivePort(target.getPort(),
                target.getScheme());
        if (!sameHost || !samePort) {
            return Optional.of(new Rejection(RejectedPattern.HOST_MISMATCH, value, "header Host; the target is",
                    target.getRawAuthority() == null ? targetHost : target.getRawAuthority()));
        }
        return Optional.empty();
    }

    private static int effectivePort(int port, String scheme) {
        if (port >= 0) {
            return port;
        }
        return "http".equalsIgnoreCase(scheme) ? 80 : 443;
    }

    private static Optional<Rejection> framing(HttpHeaders headers) {
        List<String> lengths = headers.getOrEmpty(HttpHeaders.CONTENT_LENGTH);
        List<String> encodings = headers.getOrEmpty(HttpHeaders.TRANSFER_ENCODING);
        if (!lengths.isEmpty() && !encodings.isEmpty()) {
            return Optional.of(new Rejection(RejectedPattern.CONTENT_LENGTH_AND_TRANSFER_ENCODING,
                    "Content-Length: " + String.join(", ", lengths) + " and Transfer-Encoding: "
                            + String.join(", ", encodings), "headers", "Content-Length/Transfer-Encoding"));
        }
        if (lengths.size() > 1 || (lengths.size() == 1 && lengths.get(0).contains(","))) {
            return Optional.of(new Rejection(RejectedPattern.DUPLICATE_CONTENT_LENGTH, String.join(", ", lengths),
                    "header", "Content-Length"));
        }
        if (lengths.size() == 1 && !DIGITS.matcher(lengths.get(0)).matches()) {
            return Optional.of(new Rejection(RejectedPattern.MALFORMED_CONTENT_LENGTH, lengths.get(0),
                    "header", "Content-Length"));
        }
        if (encodings.size() > 1
                || (encodings.size() == 1 && !encodings.get(0).trim().toLowerCase(Locale.ROOT).equals("chunked"))) {
            return Optional.of(new Rejection(RejectedPattern.UNSUPPORTED_TRANSFER_ENCODING,
                    String.join(", ", encodings), "header", "Transfer-Encoding"));
        }
        return Optional.empty();
    }
}
