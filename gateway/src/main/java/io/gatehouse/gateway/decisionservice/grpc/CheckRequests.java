package io.gatehouse.gateway.decisionservice.grpc;

import com.google.common.net.InetAddresses;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the request an Envoy {@code CheckRequest} describes (docs/design-next.md 2.3), as a pure function:
 * <ul>
 *   <li>method, scheme, host from {@code attributes.request.http}; path with query from {@code http.path} (the request
 *       target, not decoded), split at the first {@code ?};</li>
 *   <li>headers from {@code http.header_map} when Envoy sends it ({@code encode_raw_headers}; raw values as UTF-8),
 *       else from {@code http.headers}; names lower-cased with {@link Locale#ROOT}, a repeated name keeps every
 *       value; HTTP/2 pseudo-headers ({@code :authority}, {@code :path}, ...) are left out: their values are the
 *       facts above;</li>
 *   <li>the client IP from {@code source.address.socket_address.address}, the device certificate from
 *       {@code source.certificate} (URL-encoded PEM, passed on as sent: DEVICE decodes and validates it against
 *       the device CA), Envoy's {@code x-request-id} (header, else {@code http.id}), {@code source.principal}.</li>
 * </ul>
 * Nothing is guessed: a missing or malformed method, scheme, host or path, or a source address that is missing or
 * not an IP literal, is {@link Invalid} with a message quoting what was found (refused as {@code authz-facts-invalid}).
 * Hygiene (encoded slashes, dot segments, ...) is not judged here: the described request goes through the same
 * hygiene as on the public listener.
 */
public final class CheckRequests {

    /** The refusal code of a check whose facts are missing or malformed. */
    public static final String FACTS_INVALID = "authz-facts-invalid";

    private static final Set<String> SCHEMES = Set.of("http", "https");
    private static final int MAX_QUOTED = 120;

    private CheckRequests() {
    }

    /** What a check described: a request, or why its facts cannot be used. */
    public sealed interface Described permits Valid, Invalid {
        /** Envoy's request id, for the log line even of a refused check; null when it sent none. */
        @Nullable String proxyRequestId();
    }

    /** Usable facts. */
    public record Valid(EnvoyCheck check) implements Described {
        public Valid {
            Objects.requireNonNull(check, "check");
        }

        @Override
        public @Nullable String proxyRequestId() {
            return check.proxyRequestId();
        }
    }

    /** Unusable facts, and the sentence that says which and what was found. */
    public record Invalid(String message, @Nullable String proxyRequestId) implements Described {
        public Invalid {
            Objects.requireNonNull(message, "message");
        }
    }

    /** The described request of {@code request}, or why there is none. */
    public static Described describe(CheckRequest request) {
        AttributeContext attributes = request.getAttributes();
        AttributeContext.HttpRequest http = attributes.getRequest().getHttp();
        Map<String, List<String>> headers = headers(http);
        String proxyRequestId = first(headers, "x-request-id");
        if (proxyRequestId == null && !http.getId().isEmpty()) {
            proxyRequestId = http.getId();
        }
        List<String> problems = new ArrayList<>();
        String method = http.getMethod();
        if (!isToken(method)) {
            problems.add("attributes.request.http.method " + quote(method) + " is not an HTTP method");
        }
        String scheme = http.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            problems.add("attributes.request.http.scheme " + quote(http.getScheme()) + " is not http or https");
        }
        String host = http.getHost().toLowerCase(Locale.ROOT);
        if (!isHost(host)) {
            problems.add("attributes.request.http.host " + quote(http.getHost()) + " is not a host[:port]");
        }
        String target = http.getPath();
        if (!target.startsWith("/") || hasControlOrSpace(target)) {
            problems.add("attributes.request.http.path " + quote(target)
                    + " is not an origin-form request target (/path?query)");
        }
        String sourceIp = sourceIp(attributes.getSource());
        if (sourceIp == null) {
            // The client's address is a fact the policy may judge (source_ips): never guessed.
            problems.add("attributes.source.address has no socket address");
        } else if (!InetAddresses.isInetAddress(sourceIp)) {
            problems.add("attributes.source.address " + quote(sourceIp) + " is not an IP address");
        }
        String certificate = attributes.getSource().getCertificate();
        if (certificate.isEmpty()) {
            certificate = forwardedCertificate(headers, problems);
        }
        if (!problems.isEmpty()) {
            return new Invalid(String.join("; ", problems), proxyRequestId);
        }
        int question = target.indexOf('?');
        String rawPath = question < 0 ? target : target.substring(0, question);
        String rawQuery = question < 0 ? null : target.substring(question + 1);
        String principal = attributes.getSource().getPrincipal();
        return new Valid(new EnvoyCheck(method, scheme, host, rawPath, rawQuery, headers,
                Objects.requireNonNull(sourceIp, "sourceIp"),
                certificate.isEmpty() ? null : certificate, proxyRequestId, principal.isEmpty() ? null : principal));
    }

    /**
     * The device certificate in {@code x-forwarded-client-cert} when {@code source.certificate} is empty: Istio's
     * ext_authz provider cannot include the peer certificate, so its ingress gateway sets XFCC (SANITIZE_SET) from the
     * certificate it verified. Exactly one {@code Cert=} element is accepted; with several (APPEND_FORWARD) the
     * client's own could come first, so the check is refused. Empty when there is none.
     */
    private static String forwardedCertificate(Map<String, List<String>> headers, List<String> problems) {
        List<String> values = headers.getOrDefault("x-forwarded-client-cert", List.of());
        if (values.isEmpty()) {
            return "";
        }
        String xfcc = String.join(",", values);
        int certificates = xfcc.split("Cert=\"", -1).length - 1;
        if (certificates > 1 || values.size() > 1) {
            problems.add("x-forwarded-client-cert names " + Math.max(certificates, values.size())
                    + " certificates; only one (Envoy's SANITIZE_SET) is accepted");
            return "";
        }
        return certificates == 1 ? xfcc : "";
    }

    /** {@code header_map} when Envoy sent it (raw or string values), else the {@code headers} map. */
    static Map<String, List<String>> headers(AttributeContext.HttpRequest http) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (http.hasHeaderMap() && http.getHeaderMap().getHeadersCount() > 0) {
            for (HeaderValue header : http.getHeaderMap().getHeadersList()) {
                String value = header.getRawValue().isEmpty() ? header.getValue()
                        : header.getRawValue().toString(StandardCharsets.UTF_8);
                add(out, header.getKey(), value);
            }
        } else {
            http.getHeadersMap().forEach((name, value) -> add(out, name, value));
        }
        out.replaceAll((name, values) -> List.copyOf(values));
        return out;
    }

    private static void add(Map<String, List<String>> out, String name, String value) {
        if (!name.startsWith(":")) {
            out.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
        }
    }

    private static @Nullable String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
    }

    private static @Nullable String sourceIp(AttributeContext.Peer source) {
        if (!source.hasAddress() || !source.getAddress().hasSocketAddress()) {
            return null;
        }
        String address = source.getAddress().getSocketAddress().getAddress();
        if (address.isEmpty()) {
            return null;
        }
        // An IPv6 zone names an interface of Envoy's host, not the client (as exchange.Addresses.ip drops it).
        int zone = address.indexOf('%');
        return zone < 0 ? address : address.substring(0, zone);
    }

    /** RFC 9110 token: one or more tchar. */
    static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean tchar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }

    /** {@code name[:port]} or {@code [v6][:port]}: a DNS name or IP literal, a port of 1 to 5 digits. */
    static boolean isHost(String host) {
        if (host.isEmpty()) {
            return false;
        }
        String name = host;
        String port = null;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) {
                return false;
            }
            if (!InetAddresses.isInetAddress(host.substring(1, close)) || !host.substring(1, close).contains(":")) {
                return false;
            }
            String rest = host.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return false;
                }
                port = rest.substring(1);
            }
            return port == null || isPort(port);
        }
        int colon = host.indexOf(':');
        if (colon >= 0) {
            name = host.substring(0, colon);
            port = host.substring(colon + 1);
        }
        return isDnsNameOrIpv4(name) && (port == null || isPort(port));
    }

    private static boolean isPort(String port) {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        int value = Integer.parseInt(port);
        return value >= 1 && value <= 65535;
    }

    private static boolean isDnsNameOrIpv4(String name) {
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean hasControlOrSpace(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** The text in quotes, control and non-ASCII characters escaped, at most {@value #MAX_QUOTED} characters. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder().append('"');
        for (int i = 0; i < text.length() && i < MAX_QUOTED; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c >= 0x7f) {
                out.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
            } else if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else {
                out.append(c);
            }
        }
        if (text.length() > MAX_QUOTED) {
            out.append("...");
        }
        return out.append('"').toString();
    }
}
