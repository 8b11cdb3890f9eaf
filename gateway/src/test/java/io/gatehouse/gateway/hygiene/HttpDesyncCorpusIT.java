package io.gatehouse.gateway.hygiene;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testsupport.EchoUpstream;
import io.gatehouse.gateway.testing.GatewayITSupport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * Replays the http-desync-guardian request-smuggling corpus ({@code src/test/resources/http-desync-guardian/},
 * see its SOURCE.md) against the running gateway over raw TLS, in front of the echo upstream:
 * <ul>
 *   <li>Severe: 400, and the upstream receives nothing;</li>
 *   <li>Ambiguous: rejected (4xx, upstream untouched), or the upstream receives exactly one request in one
 *       unambiguous form (never both Content-Length and Transfer-Encoding, at most one Content-Length, no
 *       Transfer-Encoding other than chunked);</li>
 *   <li>Compliant: 200 and the upstream receives the request once, method and path unchanged;</li>
 *   <li>Acceptable: either of the above, never more than one request upstream.</li>
 * </ul>
 * {@link #STRICTER} lists the Compliant cases Gatehouse rejects on purpose (400, upstream untouched), each with why.
 * Every Severe case gets its 400, including those Netty alone would accept (a request line split on HTAB, both
 * Content-Length and Transfer-Encoding): {@link StrictHttp1Codec} refuses them before any WebFilter runs.
 */
class HttpDesyncCorpusIT extends GatewayITSupport {

    private static final List<String> FILES = List.of("severe.yaml", "ambiguous.yaml", "rfc-compliant.yaml",
            "acceptable.yaml", "bad-header-characters.yaml", "uri-specific-test-cases.yaml");

    /** Compliant in the corpus, rejected by Gatehouse by design (docs/design.md, "Failure behaviour"; hygiene table). */
    static final Map<String, String> STRICTER = Map.of(
            "Different Transfer-Encoding headers", "only a single 'chunked' transfer coding is accepted",
            "Different Transfer-Encoding headers combined", "only a single 'chunked' transfer coding is accepted",
            "Transfer-Encoding with a param: chunked;custom_param", "only a single 'chunked' transfer coding",
            "Compliant URL", "bad percent-encoding ('%^&'), a fragment and characters Spring's URI parser refuses",
            "International in URI", "raw non-ASCII bytes in the target: they must be percent-encoded",
            "Empty URI", "no request target at all",
            "%09 in URI is OK", "encoded control characters are rejected in the path",
            "%0D in URI is OK", "encoded control characters are rejected in the path",
            "%0A in URI is OK", "encoded control characters are rejected in the path");

    record Header(String name, String value) {
    }

    record Case(String file, String name, String method, String uri, String version, List<Header> headers,
                String tier) {

        String request() {
            StringBuilder out = new StringBuilder(method).append(' ').append(uri);
            if (!version.isEmpty()) {
                out.append(' ').append(version);
            }
            out.append("\r\nHost: localhost\r\n");
            for (Header h : headers) {
                out.append(h.name()).append(": ").append(h.value()).append("\r\n");
            }
            out.append("Connection: close\r\n\r\n").append(body());
            return out.toString();
        }

        /** Enough body for the framing the headers announce, so that a request that passes does not hang. */
        private String body() {
            boolean te = headers.stream().anyMatch(h -> h.name().trim().equalsIgnoreCase("transfer-encoding"));
            if (te) {
                return "0\r\n\r\n";
            }
            List<Header> lengths = headers.stream()
                    .filter(h -> h.name().equalsIgnoreCase("content-length")).toList();
            if (lengths.size() == 1 && lengths.get(0).value().matches("[0-9]{1,4}")) {
                return "x".repeat(Integer.parseInt(lengths.get(0).value()));
            }
            return "";
        }

        String path() {
            int q = uri.indexOf('?');
            return q < 0 ? uri : uri.substring(0, q);
        }
    }

    Stream<Arguments> corpus() {
        List<Arguments> cases = new ArrayList<>();
        for (String file : FILES) {
            try (InputStream in = getClass().getResourceAsStream("/http-desync-guardian/" + file)) {
                if (in == null) {
                    throw new IllegalStateException("missing test resource http-desync-guardian/" + file);
                }
                List<Map<String, Object>> entries = new Yaml().load(in);
                for (Map<String, Object> entry : entries) {
                    List<Header> headers = new ArrayList<>();
                    Object list = entry.get("headers");
                    if (list instanceof List<?> items) {
                        for (Object item : items) {
                            Map<?, ?> h = (Map<?, ?>) item;
                            headers.add(new Header(String.valueOf(h.get("name")), String.valueOf(h.get("value"))));
                        }
                    }
                    Map<?, ?> expected = (Map<?, ?>) entry.get("expected");
                    Case c = new Case(file, String.valueOf(entry.get("name")), String.valueOf(entry.get("method")),
                            String.valueOf(entry.get("uri")), String.valueOf(entry.getOrDefault("version", "")),
                            headers, String.valueOf(expected.get("tier")));
                    cases.add(Arguments.of(c.tier(), file + ": " + c.name(), c));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("corpus")
    void replay(String tier, String name, Case c) {
        RawHttp.Response response = RawHttp.send(gateway.pki(), gateway.httpsPort(), c.request());
        List<EchoUpstream.Received> seen = upstream.received();
        String what = name + "\n--- sent:\n" + c.request() + "\n--- got:\n" + response.text() + "\n--- upstream: "
                + seen;

        String caseName = c.name();
        if (STRICTER.containsKey(caseName)) {
            assertThat(response.status()).as(what).isEqualTo(400);
            assertThat(seen).as(what).isEmpty();
            return;
        }
        switch (tier) {
            case "Severe" -> {
                assertThat(response.status()).as(what).isEqualTo(400);
                assertThat(seen).as(what).isEmpty();
            }
            case "Ambiguous" -> {
                if (response.status() >= 400 && response.status() < 500 || response.status() == 0) {
                    assertThat(seen).as(what).isEmpty();
                } else {
                    assertThat(seen).as(what).hasSize(1);
                    assertUnambiguous(seen.get(0), what);
                }
            }
            case "Compliant" -> {
                assertThat(response.status()).as(what).isEqualTo(200);
                assertThat(seen).as(what).hasSize(1);
                assertThat(seen.get(0).method()).as(what).isEqualTo(c.method());
                assertThat(seen.get(0).path()).as(what).isEqualTo(c.path());
            }
            default -> {
                assertThat(seen).as(what).hasSizeLessThanOrEqualTo(1);
                seen.forEach(s -> assertUnambiguous(s, what));
            }
        }
    }

    private static void assertUnambiguous(EchoUpstream.Received seen, String what) {
        List<String> lengths = seen.headers().getOrDefault("content-length", List.of());
        List<String> encodings = seen.headers().getOrDefault("transfer-encoding", List.of());
        assertThat(lengths.isEmpty() || encodings.isEmpty()).as(what + "\nboth Content-Length and TE upstream")
                .isTrue();
        assertThat(lengths).as(what).hasSizeLessThanOrEqualTo(1).allMatch(v -> v.matches("[0-9]+"));
        assertThat(encodings).as(what).allMatch(v -> v.trim().toLowerCase(Locale.ROOT).equals("chunked"));
    }
}
