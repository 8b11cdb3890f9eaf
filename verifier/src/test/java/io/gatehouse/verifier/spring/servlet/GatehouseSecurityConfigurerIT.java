package io.gatehouse.verifier.spring.servlet;

import static io.gatehouse.verifier.TestTokens.AUDIENCE;
import static io.gatehouse.verifier.TestTokens.HOST;
import static io.gatehouse.verifier.TestTokens.ISSUER;
import static io.gatehouse.verifier.TestTokens.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.nimbusds.jose.jwk.ECKey;
import io.gatehouse.verifier.GatehouseIdentity;
import io.gatehouse.verifier.GatehouseVerifier;
import io.gatehouse.verifier.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@SpringBootTest(classes = GatehouseSecurityConfigurerIT.App.class, properties = "spring.main.web-application-type=servlet")
@AutoConfigureMockMvc
class GatehouseSecurityConfigurerIT {
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
        SecurityFilterChain security(HttpSecurity http) throws Exception {
            return http
                    .authorizeHttpRequests(a -> a.requestMatchers("/admin/**").hasAuthority("GROUP_payroll-admins")
                            .anyRequest().authenticated())
                    .with(GatehouseSecurityConfigurer.gatehouse(), Customizer.withDefaults())
                    .build();
        }
    }

    @RestController
    static class Reports {
        @GetMapping("/report")
        String report(@AuthenticationPrincipal GatehouseIdentity identity, Authentication authentication) {
            return identity.email() + " " + authentication.getName() + " " + authentication.getAuthorities();
        }

        @GetMapping("/admin/report")
        String admin() {
            return "admin";
        }
    }

    @Autowired
    MockMvc mvc;

    @Test
    void requestWhenAssertionValidThenAuthenticatedWithGroupsAsAuthorities() throws Exception {
        mvc.perform(withAssertion("/report", "/report"))
                .andExpect(status().isOk())
                .andExpect(content().string("pat@corp.example u-17 [GROUP_finance, GROUP_staff, DEVICE_TRUST_high]"))
                .andExpect(header().doesNotExist("Set-Cookie"));
    }

    @Test
    void requestWhenHeaderMissingThen401SaysSo() throws Exception {
        mvc.perform(get("/report"))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", "GatehouseAssertion error=\"missing\""))
                .andExpect(content().string(containsString("no X-Gatehouse-Assertion header")));
    }

    @Test
    void requestWhenRejectedOrAcceptedThenNoSessionIsCreated() throws Exception {
        assertThat(mvc.perform(get("/report")).andReturn().getRequest().getSession(false)).isNull();
        assertThat(mvc.perform(withAssertion("/report", "/report")).andReturn().getRequest().getSession(false)).isNull();
    }

    @Test
    void requestWhenAssertionExpiredThen401WithReason() throws Exception {
        String expired = TestTokens.sign(KEY, TestTokens.claims(NOW.minusSeconds(600), "GET", "/report"));

        mvc.perform(get("/report").header(GatehouseVerifier.HEADER, expired))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", "GatehouseAssertion error=\"expired\""));
    }

    @Test
    void requestWhenAssertionReplayedOnAnotherPathThen401() throws Exception {
        mvc.perform(withAssertion("/admin/report", "/report"))
                .andExpect(status().isUnauthorized())
                .andExpect(content().string(containsString("path-mismatch")));
    }

    @Test
    void requestWhenGroupMissingThen403() throws Exception {
        mvc.perform(withAssertion("/admin/report", "/admin/report")).andExpect(status().isForbidden());
    }

    @Test
    void requestWhenAssertionIsAnonymousThenAuthenticatedRulesDoNotPass() throws Exception {
        var claims = TestTokens.claims(NOW, "GET", "/report");
        claims.put("sub", "anonymous");
        claims.put("anonymous", true);
        claims.remove("email");
        claims.remove("groups");
        claims.remove("device");
        String anonymous = TestTokens.sign(KEY, claims);

        mvc.perform(get("/report").header(GatehouseVerifier.HEADER, anonymous))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", "GatehouseAssertion error=\"anonymous\""))
                .andExpect(content().string(containsString("nobody is signed in")));
    }

    private static MockHttpServletRequestBuilder withAssertion(String path, String mintedFor) {
        return get(path).header(GatehouseVerifier.HEADER, TestTokens.sign(KEY, TestTokens.claims(NOW, "GET", mintedFor)));
    }
}
