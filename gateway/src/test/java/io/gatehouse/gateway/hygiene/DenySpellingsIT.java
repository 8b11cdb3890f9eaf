package io.gatehouse.gateway.hygiene;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.DecisionLogITSupport;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 16, item 6: a deny rule holds for every spelling an upstream may fold into the denied path (letter case,
 * a trailing dot or space that Windows/IIS drop, Unicode compatibility look-alikes and ignorable characters), and a
 * route's path prefix cannot be sidestepped by writing it in another case. Black-box, over HTTP/1.1 and HTTP/2: the
 * echo upstream must see none of these requests; the answer is 400 (hygiene), 403 (the deny rule) or 404 (no route
 * serves the path unambiguously), never a pass.
 */
class DenySpellingsIT extends DecisionLogITSupport {

    private static final Map<String, String> API = Map.of("Accept", "application/json");

    @Override
    protected String config(URI upstreamUri) {
        return """
                routes:
                  - id: app
                    from: https://localhost
                    to: %1$s
                    policy:
                      allow:
                        - name: anyone
                          public: true
                      deny:
                        - name: no-admin
                          paths: ["/admin/**"]
                        - name: no-private
                          paths: ["/private/**"]
                  - id: internal
                    from: https://localhost/internal
                    to: %1$s
                """.formatted(upstreamUri);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/ADMIN/x", "/Admin/x", "/aDmIn", "/admin./x", "/admin%2e/x", "/admin%2E/x",
            "/admin%20/x", "/admin%20%20/x", "/admin.%20/x", "/%EF%BD%81dmin/x", "/%EF%BC%A1DMIN/x",
            "/adm%C4%B1n/x", "/ad%C2%ADmin/x", "/ad%E2%80%8Bmin/x", "/admin%C2%A0/x", "/admin%E3%80%80/x",
            "/PRIV%41TE/x", "/private./x", "/Private%20/x", "/%61dmin/x", "/INTERNAL/x", "/Internal", "/internal./x"})
    void http11WhenDeniedPathSpelledDifferentlyThenUpstreamSeesNothing(String path) {
        GatewayClient.Response response = client().get(path, API);

        assertThat(response.protocol()).isEqualTo("HTTP/1.1");
        assertThat(response.status()).as(path + " → " + response.body()).isIn(400, 403, 404);
        assertThat(upstream.received()).as(path).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/ADMIN/x", "/Admin/x", "/admin./x", "/admin%20/x", "/%EF%BD%81dmin/x", "/adm%C4%B1n/x",
            "/ad%C2%ADmin/x", "/PRIV%41TE/x", "/INTERNAL/x"})
    void http2WhenDeniedPathSpelledDifferentlyThenUpstreamSeesNothing(String path) {
        GatewayClient.Response response = client().http2().get(path, API);

        assertThat(response.protocol()).isEqualTo("HTTP/2.0");
        assertThat(response.status()).as(path + " → " + response.body()).isIn(400, 403, 404);
        assertThat(upstream.received()).as(path).isEmpty();
    }

    @Test
    void denyWhenPathDiffersOnlyInCaseThen403NamingTheDenyRule() {
        GatewayClient.Response response = client().get("/ADMIN/users", API);

        assertThat(response.status()).as(response.body()).isEqualTo(403);
        // An anonymous caller reads no reasons (item 13); the decision log keeps them for security.
        assertThat(response.json().path("reasons")).isEmpty();
        assertThat(onlyLineFor(response).path("why").path("reasons").toString())
                .contains("path /ADMIN/users matches /admin/** ignoring letter case");
    }

    @Test
    void pathWhenSegmentEndsInDotThen400FromHygiene() {
        GatewayClient.Response response = client().get("/admin%2e/x", API);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().path("code").asText()).isEqualTo("hygiene-trailing-dot-or-space");
    }

    @Test
    void pathWhenFullwidthLetterThen400FromHygiene() {
        GatewayClient.Response response = client().http2().get("/%EF%BD%81dmin/x", API);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().path("code").asText()).isEqualTo("hygiene-lookalike-ascii");
    }

    @Test
    void routePrefixWhenWrittenInOtherCaseThen404NotTheCatchAllRoute() {
        GatewayClient.Response response = client().get("/INTERNAL/x", API);

        assertThat(response.status()).as(response.body()).isEqualTo(404);
        assertThat(response.body()).contains("differs only in letter case");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/administrator/x", "/Adminx", "/caf%C3%A9/men%C3%BC", "/internals/x",
            "/a.b/c", "/.well-known/x"})
    void pathWhenNotADeniedSpellingThenReachesTheUpstream(String path) {
        GatewayClient.Response response = client().http2().get(path, API);

        assertThat(response.status()).as(path + " → " + response.body()).isEqualTo(200);
        assertThat(upstream.last().path()).isEqualTo(path);
    }
}
