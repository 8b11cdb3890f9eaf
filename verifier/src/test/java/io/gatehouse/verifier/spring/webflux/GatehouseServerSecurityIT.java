package io.gatehouse.verifier.spring.webflux;

import static io.gatehouse.verifier.TestTokens.AUDIENCE;
import static io.gatehouse.verifier.TestTokens.HOST;
import static io.gatehouse.verifier.TestTokens.ISSUER;
import static io.gatehouse.verifier.TestTokens.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import io.gatehouse.verifier.GatehouseIdentity;
import io.gatehouse.verifier.GatehouseVerifier;
import io.gatehouse.verifier.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.autoconfigure.web.reactive.AutoConfigureWebTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@SpringBootTest(classes = GatehouseServerSecurityIT.App.class, properties = "spring.main.web-application-type=reactive")
@AutoConfigureWebTestClient
class GatehouseServerSecurityIT {
    static final ECKey KEY = TestTokens.newKey("k1");

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Reports.class)
    static class App {
        @Bean
        GatehouseVerifier gatehouseVerifier() {
            return GatehouseVerifier.builder(ISSUER, AUDIENCE).jwks(TestTokens.publicSet(KEY)).publicHost(HOST)
                    .clock(TestTokens.CLOCK).build();
        }

        @Bean
        SecurityWebFilterChain security(ServerHttpSecurity http, GatehouseVerifier verifier) {
            return GatehouseServerSecurity.configure(http, verifier)
                    .authorizeExchange(a -> a.pathMatchers("/admin/**").hasAuthority("GROUP_payroll-admins")
                            .anyExchange().authenticated())
                    .build();
        }
    }

    @RestController
    static class Reports {
        @GetMapping("/report")
        Mono<String> report(@AuthenticationPrincipal GatehouseIdentity identity, Authentication authentication) {
            return Mono.just(identity.email() + " " + authentication.getName() + " " + authentication.getAuthorities());
        }

        @GetMapping("/admin/report")
        Mono<String> admin() {
            return Mono.just("admin");
        }
    }

    @Autowired
    WebTestClient client;

    @Test
    void requestWhenAssertionValidThenAuthenticatedWithGroupsAsAuthorities() {
        client.get().uri("/report").header(GatehouseVerifier.HEADER, token("/report")).exchange()
                .expectStatus().isOk()
                .expectHeader().doesNotExist("Set-Cookie")
                .expectBody(String.class).isEqualTo("pat@corp.example u-17 [GROUP_finance, GROUP_staff, DEVICE_TRUST_high]");
    }

    @Test
    void requestWhenHeaderMissingThen401SaysSo() {
        client.get().uri("/report").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().doesNotExist("Set-Cookie")
                .expectHeader().valueEquals("WWW-Authenticate", "GatehouseAssertion error=\"missing\"")
                .expectBody(String.class).value(body -> assertThat(body).contains("no X-Gatehouse-Assertion header"));
    }

    @Test
    void requestWhenAssertionSignedByAnotherKeyThen401WithReason() {
        String forged = TestTokens.sign(TestTokens.newKey("k1"), TestTokens.claims(NOW, "GET", "/report"));

        client.get().uri("/report").header(GatehouseVerifier.HEADER, forged).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals("WWW-Authenticate", "GatehouseAssertion error=\"bad-signature\"");
    }

    @Test
    void requestWhenAssertionReplayedWithAnotherMethodThen401() {
        String mintedForPost = TestTokens.sign(KEY, TestTokens.claims(NOW, "POST", "/report"));

        client.get().uri("/report").header(GatehouseVerifier.HEADER, mintedForPost).exchange()
                .expectStatus().isUnauthorized()
                .expectBody(String.class).value(body -> assertThat(body).contains("method-mismatch"));
    }

    @Test
    void requestWhenGroupMissingThen403() {
        client.get().uri("/admin/report").header(GatehouseVerifier.HEADER, token("/admin/report")).exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void requestWhenAssertionIsAnonymousThenAuthenticatedRulesDoNotPass() {
        var claims = TestTokens.claims(NOW, "GET", "/report");
        claims.put("sub", "anonymous");
        claims.put("anonymous", true);
        claims.remove("email");
        claims.remove("groups");
        claims.remove("device");

        client.get().uri("/report").header(GatehouseVerifier.HEADER, TestTokens.sign(KEY, claims)).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals("WWW-Authenticate", "GatehouseAssertion error=\"anonymous\"");
    }

    private static String token(String path) {
        return TestTokens.sign(KEY, TestTokens.claims(NOW, "GET", path));
    }
}
