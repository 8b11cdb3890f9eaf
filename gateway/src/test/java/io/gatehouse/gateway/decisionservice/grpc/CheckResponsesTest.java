package io.gatehouse.gateway.decisionservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.gatehouse.gateway.hygiene.InboundHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link CheckResponses}: the {@code CheckResponse}s of docs/design-next.md 2.4. */
class CheckResponsesTest {

    private static final CheckResponses.Metadata META =
            new CheckResponses.Metadata("req-1", "app", "staff", "allow", "v7");
    private static final Predicate<String> HYGIENE = name -> InboundHeaders.defaults().mustRemove(name, true);

    @Test
    void allowWhenAssertionThenOkSettingItOverAnyClientSentOne() {
        CheckResponse response = CheckResponses.allow("h.p.s", List.of("x-gatehouse-user"), META);

        assertThat(response.getStatus().getCode()).isZero();
        assertThat(response.hasOkResponse()).isTrue();
        HeaderValueOption header = response.getOkResponse().getHeaders(0);
        assertThat(header.getHeader().getKey()).isEqualTo("x-gatehouse-assertion");
        assertThat(header.getHeader().getValue()).isEqualTo("h.p.s");
        assertThat(header.getAppendAction()).isEqualTo(HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD);
        assertThat(response.getOkResponse().getHeadersToRemoveList()).containsExactly("x-gatehouse-user");
    }

    @Test
    void allowWhenAnyAnswerThenTopLevelDynamicMetadataOnlyCarriesIt() {
        CheckResponse response = CheckResponses.allow("h.p.s", List.of(), META);

        assertThat(response.getDynamicMetadata().getFieldsMap()).containsOnlyKeys(
                "request_id", "route", "rule", "decision", "policy_version");
        assertThat(response.getDynamicMetadata().getFieldsOrThrow("rule").getStringValue()).isEqualTo("staff");
        assertThat(response.getDynamicMetadata().getFieldsOrThrow("request_id").getStringValue()).isEqualTo("req-1");
        // The deprecated ok_response.dynamic_metadata would override the top-level one in Envoy.
        assertThat(response.getOkResponse().hasDynamicMetadata()).isFalse();
    }

    @Test
    void metadataWhenRouteAndRuleUnknownThenLeftOut() {
        assertThat(new CheckResponses.Metadata("req-2", null, null, "no-route", null).struct().getFieldsMap())
                .containsOnlyKeys("request_id", "decision");
    }

    @ParameterizedTest(name = "{0} inbound, assertion set {1}, bearer consumed {2} -> remove {3}")
    @CsvSource(delimiter = '|', value = {
            "accept;cookie                              | true  | false | ''",
            "x-gatehouse-user;x-gatehouse-groups        | true  | false | x-gatehouse-groups;x-gatehouse-user",
            "x-gatehouse-assertion                      | true  | false | ''",
            "x-gatehouse-assertion                      | false | false | x-gatehouse-assertion",
            "X_Gatehouse_Assertion                      | true  | false | x_gatehouse_assertion",
            "authorization                              | true  | true  | authorization",
            "authorization                              | true  | false | ''",
            "accept                                     | true  | true  | authorization",
            "x-original-url;x-http-method-override      | true  | false | x-http-method-override;x-original-url",
            "x-forwarded-user;remote-user               | true  | false | remote-user;x-forwarded-user",
            "x-forwarded-for;x-forwarded-proto          | true  | false | ''",
    })
    void headersToRemoveWhenInboundThenHygieneListAndConsumedBearer(String inbound, boolean assertionSet,
                                                                    boolean bearer, String expected) {
        List<String> names = List.of(inbound.split(";"));

        List<String> removed = CheckResponses.headersToRemove(names, HYGIENE, assertionSet, bearer);

        assertThat(removed).containsExactlyElementsOf(expected.isEmpty() ? List.of() : List.of(expected.split(";")));
    }

    @Test
    void deniedWhenLoginRedirectThenPermissionDeniedWith302LocationCookieAndNoStore() {
        CheckResponse response = CheckResponses.denied(302, List.of(
                new CheckResponses.Header("Location", "https://idp.example/auth?state=s"),
                new CheckResponses.Header("Set-Cookie", "__Host-gatehouse-login=x; Path=/; Secure; HttpOnly"),
                new CheckResponses.Header("Cache-Control", "no-store"),
                new CheckResponses.Header("X-Request-Id", "req-1")), new byte[0],
                new CheckResponses.Metadata("req-1", "app", null, "deny", "v7"));

        assertThat(response.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED.value());
        assertThat(response.getDeniedResponse().getStatus().getCodeValue()).isEqualTo(302);
        assertThat(response.getDeniedResponse().getHeadersList()).extracting(h -> h.getHeader().getKey())
                .containsExactly("location", "set-cookie", "cache-control", "x-request-id");
        assertThat(response.getDeniedResponse().getHeaders(0).getHeader().getValue())
                .isEqualTo("https://idp.example/auth?state=s");
        assertThat(response.getDeniedResponse().getBody()).isEmpty();
    }

    @ParameterizedTest(name = "HTTP {0}")
    @CsvSource({"400", "401", "403", "404", "500", "503"})
    void deniedWhenStatusThenDeniedResponseCarriesItAndTheBody(int status) {
        byte[] body = "{\"code\":\"denied\"}".getBytes(StandardCharsets.UTF_8);

        CheckResponse response = CheckResponses.denied(status,
                List.of(new CheckResponses.Header("content-type", "application/problem+json")), body, META);

        assertThat(response.getStatus().getCode()).isEqualTo(7);
        assertThat(response.getDeniedResponse().getStatus().getCodeValue()).isEqualTo(status);
        assertThat(response.getDeniedResponse().getBody()).isEqualTo("{\"code\":\"denied\"}");
        assertThat(response.hasOkResponse()).isFalse();
    }

    @Test
    void deniedWhenStatusIsNotAnHttpStatusThenIllegalArgument() {
        assertThatThrownBy(() -> CheckResponses.denied(299, List.of(), new byte[0], META))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("299");
    }

    @ParameterizedTest(name = "Cookie \"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
            "app=1; theme=dark                                  | <unchanged>",
            "app=1; __Host-gatehouse=s1; theme=dark             | app=1; theme=dark",
            "__Host-gatehouse=s1                                | ''",
            "__Host-gatehouse-login=l1;__Host-gatehouse=s1      | ''",
            "__host-gatehouse=s1; app=1                         | <unchanged>",
            "app=1;; __Host-gatehouse=s1                        | app=1",
    })
    void upstreamCookieWhenGatehouseCookiesSentThenTheOthersOnly(String cookie, String expected) {
        String upstream = CheckResponses.upstreamCookie(List.of(cookie),
                io.gatehouse.gateway.session.SessionCookies::isOurs);

        assertThat(upstream).isEqualTo(expected.equals("<unchanged>") ? null : expected);
    }

    @Test
    void allowWhenCookieGivenThenItIsSetOverTheClients() {
        CheckResponse response = CheckResponses.allow("h.p.s", "app=1", List.of(), META);

        assertThat(response.getOkResponse().getHeaders(1).getHeader().getKey()).isEqualTo("cookie");
        assertThat(response.getOkResponse().getHeaders(1).getHeader().getValue()).isEqualTo("app=1");
        assertThat(response.getOkResponse().getHeaders(1).getAppendAction())
                .isEqualTo(HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD);
    }
}
