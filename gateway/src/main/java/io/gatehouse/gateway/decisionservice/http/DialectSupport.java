package io.gatehouse.gateway.decisionservice.http;

import io.gatehouse.gateway.decision.Verdict;
import io.gatehouse.gateway.decisionservice.Outcome;
import io.gatehouse.gateway.exchange.RequestFacts;
import io.gatehouse.gateway.problem.Problems;
import io.gatehouse.gateway.problem.Problems.Problem;
import io.gatehouse.policy.Decision;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * What the HTTP dialects share: checking facts, the described request's headers (the check's, minus the headers
 * that carry the facts or belong to the hop between proxy and Gatehouse), and the parts of every answer.
 */
final class DialectSupport {

    /** Response headers every dialect may send the proxy. */
    static final String ASSERTION = "X-Gatehouse-Assertion";
    static final String REQUEST_ID = "X-Gatehouse-Request-Id";
    static final String RULE = "X-Gatehouse-Rule";
    static final String CODE_FACTS_INVALID = "authz-facts-invalid";

    private static final Pattern METHOD = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}");
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    /** Headers of the hop to Gatehouse, or the ones the facts came in: not part of the described request. */
    private static final Set<String> HOP = Set.of("host", "content-length", "transfer-encoding", "connection",
            "keep-alive", "te", "trailer", "upgrade", "proxy-connection", "x-original-url", "x-original-method",
            "x-rewrite-url", "x-real-ip", "forwarded", "x-forwarded-client-cert", "x-forwarded-tls-client-cert",
            "x-envoy-original-path", ":authority", ":path", ":method", ":scheme");

    private DialectSupport() {
    }

    /** A required header's single value, trimmed; the message names the header when it is absent or repeated. */
    static String required(HttpHeaders headers, String name) throws FactsInvalidException {
        List<String> values = headers.getOrEmpty(name);
        if (values.isEmpty() || values.get(0).isBlank()) {
            throw new FactsInvalidException("the check has no " + name + " header");
        }
        if (values.size() > 1) {
            throw new FactsInvalidException("the check has " + values.size() + " " + name + " headers");
        }
        return values.get(0).trim();
    }

    /** An HTTP method token, upper-cased. */
    static String method(String value, String header) throws FactsInvalidException {
        if (!METHOD.matcher(value).matches()) {
            throw new FactsInvalidException(header + " is not an HTTP method: " + quote(value));
        }
        return value.toUpperCase(Locale.ROOT);
    }

    static String scheme(String value, String header) throws FactsInvalidException {
        String lower = value.toLowerCase(Locale.ROOT);
        if (!lower.equals("https") && !lower.equals("http")) {
            throw new FactsInvalidException(header + " is not http or https: " + quote(value));
        }
        return lower;
    }

    /** A host[:port] without user info, path or spaces (its form is judged by HYGIENE). */
    static String host(String value, String header) throws FactsInvalidException {
        if (value.isEmpty() || value.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f || c == '/' || c == '@'
                || c == '?' || c == '#' || c == '\\')) {
            throw new FactsInvalidException(header + " is not a host: " + quote(value));
        }
        return value;
    }

    /** An IP address literal (never resolved: a name here would be a DNS lookup on the request path). */
    static String ip(String value, String header) throws FactsInvalidException {
        String v = value.trim();
        if (v.startsWith("[") && v.endsWith("]")) {
            v = v.substring(1, v.length() - 1);
        }
        if (!(IPV4.matcher(v).matches() || IPV6.matcher(v).matches())) {
            throw new FactsInvalidException(header + " is not an IP address: " + quote(value));
        }
        try {
            return io.gatehouse.gateway.exchange.Addresses.ip(java.net.InetAddress.getByName(v));
        } catch (java.net.UnknownHostException e) {
            throw new FactsInvalidException(header + " is not an IP address: " + quote(value));
        }
    }

    /** The last hop of an {@code X-Forwarded-For} list: the address the proxy itself saw. */
    static String lastHop(String forwardedFor, String header) throws FactsInvalidException {
        int comma = forwardedFor.lastIndexOf(',');
        return ip(comma < 0 ? forwardedFor : forwardedFor.substring(comma + 1), header);
    }

    /** A path-and-query as sent: must start with '/'. Split at the first '?'. */
    static String[] target(String value, String header) throws FactsInvalidException {
        if (!value.startsWith("/")) {
            throw new FactsInvalidException(header + " is not an absolute path: " + quote(value));
        }
        int question = value.indexOf('?');
        return question < 0 ? new String[] {value, null}
                : new String[] {value.substring(0, question), value.substring(question + 1)};
    }

    /**
     * A forwarded client certificate: URL-encoded PEM (nginx {@code $ssl_client_escaped_cert}) or Envoy's XFCC
     * {@code Cert="..."} as they are; with {@code derHeader} (forward-auth only) a bare base64 DER (Traefik's
     * {@code X-Forwarded-Tls-Client-Cert}, Caddy's {@code certificate_der_base64}) wrapped in PEM markers. Null when
     * none. The other dialects' proxies never set the DER header but pass the client's own headers on, so there it
     * would be the client's word (ForwardedCertificateHeadersTest).
     */
    static @Nullable String forwardedCertificate(HttpHeaders headers, boolean derHeader) {
        String pem = headers.getFirst("X-Forwarded-Client-Cert");
        if (pem != null && !pem.isBlank()) {
            return pem.trim();
        }
        if (!derHeader) {
            return null;
        }
        String der = headers.getFirst("X-Forwarded-Tls-Client-Cert");
        if (der != null && !der.isBlank()) {
            String value = der.trim();
            return value.contains("BEGIN") ? value
                    : "-----BEGIN CERTIFICATE-----\n" + value + "\n-----END CERTIFICATE-----\n";
        }
        return null;
    }

    /** The described request's headers: the check's, minus the hop's and the fact-carrying ones. */
    static HttpHeaders described(HttpHeaders check, String host, Set<String> alsoDrop) {
        HttpHeaders out = new HttpHeaders();
        check.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HOP.contains(lower) && !lower.startsWith("x-forwarded-") && !alsoDrop.contains(lower)) {
                out.addAll(name, values);
            }
        });
        out.set(HttpHeaders.HOST, host.toLowerCase(Locale.ROOT));
        return out;
    }

    static RequestFacts facts(String method, String scheme, String host, String pathAndQuery, HttpHeaders check,
                              String clientIp, String pathHeader, Set<String> alsoDrop, boolean derCertificateHeader)
            throws FactsInvalidException {
        String[] target = target(pathAndQuery, pathHeader);
        return new RequestFacts(method, scheme, host, target[0], target[1], described(check, host, alsoDrop),
                clientIp, null, forwardedCertificate(check, derCertificateHeader), null);
    }

    /** The allow answer's header carrying the described request's cookies without Gatehouse's own (Q2). */
    static final String UPSTREAM_COOKIE = "X-Gatehouse-Cookie";

    /**
     * The described request's {@code Cookie} without {@code __Host-gatehouse} and {@code __Host-gatehouse-login}
     * (possibly empty), or null when it sent no {@code Cookie} at all. The proxy puts it on the upstream request
     * in place of the client's, so Gatehouse's session cookie, a bearer credential, never reaches an upstream.
     */
    static @Nullable String upstreamCookie(RequestFacts facts) {
        List<String> cookies = facts.headers().getOrEmpty(HttpHeaders.COOKIE);
        if (cookies.isEmpty()) {
            return null;
        }
        List<String> kept = new java.util.ArrayList<>();
        for (String header : cookies) {
            for (String pair : header.split(";")) {
                String trimmed = pair.trim();
                int eq = trimmed.indexOf('=');
                String name = eq < 0 ? trimmed : trimmed.substring(0, eq).trim();
                if (!trimmed.isEmpty() && !io.gatehouse.gateway.session.SessionCookies.isOurs(name)) {
                    kept.add(trimmed);
                }
            }
        }
        return String.join("; ", kept);
    }

    /** Headers on every answer: the request id and the deciding rule (when one decided). */
    static HttpHeaders common(Outcome outcome) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(REQUEST_ID, outcome.context().requestId());
        Decision decision = outcome.context().decision();
        if (decision != null && decision.rule() != null) {
            headers.set(RULE, printable(decision.rule(), 256));
        }
        headers.setCacheControl("no-store");
        return headers;
    }

    /** The refusal's body: problem+json for 400 and 401, else the HTML page when the described request wants it. */
    static Problems.Rendered body(Verdict.Refused refused, Outcome outcome, RequestFacts facts) {
        int status = refused.status();
        boolean html = status != 400 && status != 401 && Problems.wantsHtml(facts.headers());
        return Problems.render(refused.problem(), html, outcome.context());
    }

    static void refusalHeaders(Verdict.Refused refused, HttpHeaders headers) {
        if (refused.wwwAuthenticate() != null) {
            headers.set(HttpHeaders.WWW_AUTHENTICATE, refused.wwwAuthenticate());
        }
        if (refused.retryAfter() != null) {
            headers.set(HttpHeaders.RETRY_AFTER, refused.retryAfter());
        }
    }

    /** The problem+json of invalid facts, with the given status. */
    static Problems.Rendered invalidBody(FactsInvalidException why, String requestId) {
        return Problems.render(new Problem(HttpStatus.BAD_REQUEST, CODE_FACTS_INVALID, "Request facts invalid",
                "The proxy's check does not describe a request that can be judged.", List.of(why.getMessage()),
                requestId, null), false, null);
    }

    static MediaType problemJson() {
        return MediaType.APPLICATION_PROBLEM_JSON;
    }

    /** The outcome's name for metrics: allow, login, or the refusal's kind. */
    static String outcome(Verdict verdict) {
        if (verdict instanceof Verdict.Allow) {
            return "allow";
        }
        if (verdict instanceof Verdict.Login) {
            return "login";
        }
        return ((Verdict.Refused) verdict).kind().wireName();
    }

    /** Visible ASCII only, at most {@code max} characters: safe in a response header. */
    static String printable(String text, int max) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), max));
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }

    static String quote(String value) {
        return '"' + printable(value, 200) + '"';
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
