package io.gatehouse.verifier.servlet;

import static io.gatehouse.verifier.TestTokens.AUDIENCE;
import static io.gatehouse.verifier.TestTokens.HOST;
import static io.gatehouse.verifier.TestTokens.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import io.gatehouse.verifier.GatehouseVerifier;
import io.gatehouse.verifier.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class GatehouseAssertionFilterTest {
    static final ECKey KEY = TestTokens.newKey("k1");
    final GatehouseAssertionFilter filter = new GatehouseAssertionFilter(GatehouseVerifier.builder(ISSUER, AUDIENCE)
            .jwks(TestTokens.publicSet(KEY)).clock(TestTokens.CLOCK).build());

    @Test
    void doFilterWhenAssertionValidThenIdentityInRequestAndChainCalled() throws Exception {
        MockHttpServletRequest request = request(TestTokens.sign(KEY, TestTokens.claims()));
        MockFilterChain chain = new MockFilterChain();

        filter.doFilter(request, new MockHttpServletResponse(), chain);

        assertThat(GatehouseAssertionFilter.identity(request)).isNotNull().satisfies(id -> assertThat(id.subject()).isEqualTo("u-17"));
        assertThat(chain.getRequest()).isSameAs(request);
    }

    @Test
    void doFilterWhenHeaderMissingThen401AndChainNotCalled() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        filter.doFilter(request(null), response, chain);

        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("GatehouseAssertion error=\"missing\"");
        assertThat(response.getContentAsString()).contains("no X-Gatehouse-Assertion header");
        assertThat(chain.getRequest()).isNull();
    }

    @Test
    void doFilterWhenReplayedOnAnotherPathThen401WithReason() throws Exception {
        MockHttpServletRequest request = request(TestTokens.sign(KEY, TestTokens.claims()));
        request.setRequestURI("/salaries/export");
        MockHttpServletResponse response = new MockHttpServletResponse();

        filter.doFilter(request, response, new MockFilterChain());

        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getContentAsString()).contains("path-mismatch");
    }

    private static MockHttpServletRequest request(String token) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/salaries");
        request.addHeader("Host", HOST);
        if (token != null) {
            request.addHeader(GatehouseVerifier.HEADER, token);
        }
        return request;
    }
}
