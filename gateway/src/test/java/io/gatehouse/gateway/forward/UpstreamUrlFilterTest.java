package io.gatehouse.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class UpstreamUrlFilterTest {

    @Test
    void upstreamUrlWhenToHasNoPathThenPathAndQueryKeptByteForByte() {
        URI url = UpstreamUrlFilter.upstreamUrl(URI.create("http://payroll.internal:8080"),
                URI.create("https://payroll.corp.example/a%20b/c%2Fd?x=%41&y"));

        assertThat(url.toString()).isEqualTo("http://payroll.internal:8080/a%20b/c%2Fd?x=%41&y");
    }

    @Test
    void upstreamUrlWhenToHasPathThenItPrefixesTheRequestPath() {
        URI url = UpstreamUrlFilter.upstreamUrl(URI.create("http://wiki.internal/base/"), URI.create("https://wiki.corp.example/page"));

        assertThat(url.toString()).isEqualTo("http://wiki.internal/base/page");
    }

    @Test
    void upstreamUrlWhenRequestHasNoPathThenSlash() {
        URI url = UpstreamUrlFilter.upstreamUrl(URI.create("http://a.internal"), URI.create("https://a.corp.example"));

        assertThat(url.toString()).isEqualTo("http://a.internal/");
    }
}
