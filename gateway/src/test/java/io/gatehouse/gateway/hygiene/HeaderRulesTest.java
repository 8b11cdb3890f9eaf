package io.gatehouse.gateway.hygiene;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpHeaders;

/** One row per header rejection, in several spellings, plus the clean cases that must pass. */
class HeaderRulesTest {

    private static final URI TARGET = URI.create("https://app.corp.example/x");

    static Stream<Arguments> rejectedHeaders() {
        return Stream.of(
                Arguments.of(RejectedPattern.DUPLICATE_HOST, Map.of("Host", List.of("app.corp.example", "evil.example"))),
                Arguments.of(RejectedPattern.MALFORMED_HOST, Map.of("Host", List.of("app.corp.example, evil.example"))),
                Arguments.of(RejectedPattern.MALFORMED_HOST, Map.of("Host", List.of("app.corp.example/x"))),
                Arguments.of(RejectedPattern.MALFORMED_HOST, Map.of("Host", List.of("user@app.corp.example"))),
                Arguments.of(RejectedPattern.HOST_MISMATCH, Map.of("Host", List.of("evil.example"))),
                Arguments.of(RejectedPattern.HOST_MISMATCH, Map.of("Host", List.of("app.corp.example:8443"))),
                Arguments.of(RejectedPattern.CONTENT_LENGTH_AND_TRANSFER_ENCODING,
                        Map.of("Content-Length", List.of("5"), "Transfer-Encoding", List.of("chunked"))),
                Arguments.of(RejectedPattern.CONTENT_LENGTH_AND_TRANSFER_ENCODING,
                        Map.of("content-length", List.of("5"), "TRANSFER-ENCODING", List.of("Chunked"))),
                Arguments.of(RejectedPattern.DUPLICATE_CONTENT_LENGTH, Map.of("Content-Length", List.of("5", "5"))),
                Arguments.of(RejectedPattern.DUPLICATE_CONTENT_LENGTH, Map.of("Content-Length", List.of("5, 6"))),
                Arguments.of(RejectedPattern.MALFORMED_CONTENT_LENGTH, Map.of("Content-Length", List.of("+5"))),
                Arguments.of(RejectedPattern.MALFORMED_CONTENT_LENGTH, Map.of("Content-Length", List.of("0x5"))),
                Arguments.of(RejectedPattern.MALFORMED_CONTENT_LENGTH, Map.of("Content-Length", List.of("-1"))),
                Arguments.of(RejectedPattern.UNSUPPORTED_TRANSFER_ENCODING,
                        Map.of("Transfer-Encoding", List.of("gzip, chunked"))),
                Arguments.of(RejectedPattern.UNSUPPORTED_TRANSFER_ENCODING,
                        Map.of("Transfer-Encoding", List.of("chunked", "chunked"))),
                Arguments.of(RejectedPattern.UNSUPPORTED_TRANSFER_ENCODING,
                        Map.of("transfer-encoding", List.of("xchunked"))),
                Arguments.of(RejectedPattern.UNSUPPORTED_TRANSFER_ENCODING,
                        Map.of("Transfer-Encoding", List.of("identity"))),
                Arguments.of(RejectedPattern.HEADER_CONTROL_CHARACTER, Map.of("X-A", List.of("a\u0000b"))),
                Arguments.of(RejectedPattern.HEADER_CONTROL_CHARACTER, Map.of("x-a", List.of("a\rb"))),
                Arguments.of(RejectedPattern.HEADER_CONTROL_CHARACTER, Map.of("X-A", List.of("a\u007fb"))));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("rejectedHeaders")
    void checkWhenHeadersBreakRuleThenRejects(RejectedPattern row, Map<String, List<String>> values) {
        HttpHeaders headers = new HttpHeaders();
        values.forEach(headers::addAll);

        Optional<Rejection> found = HeaderRules.check(headers, TARGET);

        assertThat(found).map(Rejection::pattern).contains(row);
        assertThat(found.get().message()).startsWith(row.title());
    }

    static Stream<Arguments> cleanHeaders() {
        return Stream.of(
                Arguments.of(Map.of("Host", List.of("app.corp.example"))),
                Arguments.of(Map.of("Host", List.of("APP.corp.example:443"))),
                Arguments.of(Map.of("Host", List.of("app.corp.example"), "Content-Length", List.of("12"))),
                Arguments.of(Map.of("Host", List.of("app.corp.example"), "Transfer-Encoding", List.of("chunked"))),
                Arguments.of(Map.of("X-Tab", List.of("a\tb"))),
                Arguments.of(Map.of()));
    }

    @ParameterizedTest
    @MethodSource("cleanHeaders")
    void checkWhenHeadersCleanThenEmpty(Map<String, List<String>> values) {
        HttpHeaders headers = new HttpHeaders();
        values.forEach(headers::addAll);

        assertThat(HeaderRules.check(headers, TARGET)).isEmpty();
    }

    @Test
    void checkWhenIpv6HostMatchesThenEmpty() {
        HttpHeaders headers = new HttpHeaders();
        headers.add("Host", "[::1]:8443");

        assertThat(HeaderRules.check(headers, URI.create("https://[::1]:8443/"))).isEmpty();
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"Authorization", "cookie", "Proxy-Authorization"})
    void checkWhenCredentialHeaderHasControlCharacterThenMessageDoesNotShowTheValue(String name) {
        HttpHeaders headers = new HttpHeaders();
        headers.add(name, "Bearer secret-token\u0000");

        Rejection rejection = HeaderRules.check(headers, TARGET).orElseThrow();

        assertThat(rejection.message()).doesNotContain("secret-token").contains("(value not shown)");
    }

    @Test
    void missingHostWhenNoHostThenRejectsElseEmpty() {
        HttpHeaders headers = new HttpHeaders();
        headers.add("Accept", "*/*");

        Rejection rejection = HeaderRules.missingHost(headers).orElseThrow();
        headers.add("Host", "app.corp.example");

        assertThat(rejection.pattern()).isEqualTo(RejectedPattern.MISSING_HOST);
        assertThat(rejection.message()).startsWith("no Host header");
        assertThat(HeaderRules.missingHost(headers)).isEmpty();
    }
}
