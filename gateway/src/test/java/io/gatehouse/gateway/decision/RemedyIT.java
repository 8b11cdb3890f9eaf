package io.gatehouse.gateway.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.gateway.testing.DecisionLogITSupport;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.ProblemSchema;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.testsupport.TestIssuer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A rule's {@code remedy:} reaches the refused caller (docs/policy.md, "Remedy"): on the HTML deny page next to the
 * reasons, escaped, with its https link as the only link, and in problem+json as {@code remedies}; over HTTP/1.1 and
 * HTTP/2. A caller nobody signed in (and without a device) reads no remedy, as it reads no reason.
 */
class RemedyIT extends DecisionLogITSupport {

    private static final String BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    private static final String ENROL = "enrol your laptop at https://mdm.corp.example/enrol?from=payroll&x=1";
    private static final String SCRIPT = "<script>alert('remedy')</script> ask \"IT\" & wait";

    private TestIssuer issuer;

    @Override
    protected void customize(RunningGateway.Builder builder) {
        issuer = TestIssuer.start();
        builder.config("""
                routes:
                  - id: payroll
                    from: https://localhost
                    to: %1$s
                    policy:
                      allow:
                        - name: finance
                          remedy: "%2$s"
                          groups: [finance]
                        - name: admins
                          groups: [admins]
                      deny:
                        - name: no-exports
                          remedy: "%3$s"
                          paths: ["/export/**"]
                """.formatted(upstream.uri(), ENROL, SCRIPT.replace("\"", "\\\"")))
                .property("gatehouse.bearer.issuers[0].issuer-uri", issuer.issuer())
                .property("gatehouse.bearer.issuers[0].audiences[0]", TestIssuer.AUDIENCE);
    }

    @AfterAll
    void stopIssuer() {
        if (issuer != null) {
            issuer.close();
        }
    }

    private GatewayClient client(String protocol) {
        return protocol.equals("h2") ? client().http2() : client();
    }

    private String staff() {
        return "Bearer " + issuer.es256(c -> c.claim("groups", List.of("staff")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http/1.1", "h2"})
    void refuseWhenApiClientMatchesNoAllowRuleThenProblemCarriesTheRemedy(String protocol) {
        GatewayClient.Response response = client(protocol).get("/payslips/1",
                Map.of("Accept", "application/json", "Authorization", staff()));

        ProblemSchema.assertProblem(response, 403, "denied");
        assertThat(response.json().path("remedies").toString()).isEqualTo("[\"" + ENROL + "\"]");
        assertThat(response.json().path("reasons").size()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http/1.1", "h2"})
    void refuseWhenBrowserMatchesNoAllowRuleThenDenyPageLinksTheHttpsRemedyNextToTheReasons(String protocol) {
        GatewayClient.Response response = client(protocol).get("/payslips/1",
                Map.of("Accept", BROWSER, "Authorization", staff()));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.header("Content-Type")).startsWith("text/html");
        String escapedUrl = "https://mdm.corp.example/enrol?from=payroll&amp;x=1";
        assertThat(response.body()).contains("enrol your laptop at <a href=\"" + escapedUrl
                + "\" rel=\"noopener noreferrer\">" + escapedUrl + "</a>");
        assertThat(response.body().indexOf("id=\"remedies\"")).isGreaterThan(response.body().indexOf("needs one of"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http/1.1", "h2"})
    void refuseWhenRemedyHoldsMarkupThenTheDenyPageEscapesIt(String protocol) {
        GatewayClient.Response response = client(protocol).get("/export/all",
                Map.of("Accept", BROWSER, "Authorization", staff()));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.body()).doesNotContain("<script").contains(
                "&lt;script&gt;alert(&#39;remedy&#39;)&lt;/script&gt; ask &quot;IT&quot; &amp; wait");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http/1.1", "h2"})
    void refuseWhenDenyRuleWithRemedyMatchesForApiClientThenProblemCarriesItAsText(String protocol) {
        GatewayClient.Response response = client(protocol).get("/export/all",
                Map.of("Accept", "application/json", "Authorization", staff()));

        ProblemSchema.assertProblem(response, 403, "denied");
        assertThat(response.json().path("remedies").get(0).asText()).isEqualTo(SCRIPT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", BROWSER})
    void refuseWhenAnonymousHitsTheDenyRuleThenNoRemedyAsNoReason(String accept) {
        GatewayClient.Response response = client().get("/export/all", Map.of("Accept", accept));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.body()).doesNotContain("remedies", "alert", "IT&quot;", "\"IT\"");
    }
}
