package io.gatehouse.deviceinventory.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;

/**
 * Who may call what (docs/design.md, "Device identity and posture"): a bearer JWT from the configured issuer
 * ({@code spring.security.oauth2.resourceserver.jwt.issuer-uri} or {@code .jwk-set-uri}), its {@code scope}
 * claim mapped to {@code SCOPE_*} authorities, one scope per endpoint, everything else denied. The token must also
 * name the inventory in {@code aud} ({@link JwtDecoderConfiguration}). Failures answer
 * 401/403 with {@code WWW-Authenticate} and a problem+json body. Actuator lives on the management port only and
 * is open there: that port is for the cluster's probes and scraper, not for the network at large.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    @Order(1)
    SecurityFilterChain actuator(HttpSecurity http) throws Exception {
        return http.securityMatcher(EndpointRequest.toAnyEndpoint())
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain api(HttpSecurity http, ObjectMapper json, ObjectProvider<JwtDecoder> decoder)
            throws Exception {
        if (decoder.getIfAvailable() == null) {
            // Fail the start rather than run an API nobody can call (or, worse, one that a later default opens).
            throw new IllegalStateException("device-inventory needs a token issuer: set "
                    + "spring.security.oauth2.resourceserver.jwt.issuer-uri or .jwk-set-uri "
                    + "(env SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI)");
        }
        BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
        BearerTokenAccessDeniedHandler denied = new BearerTokenAccessDeniedHandler();
        return http
                .authorizeHttpRequests(a -> a
                        .requestMatchers(HttpMethod.GET, "/v1/posture").hasAuthority("SCOPE_posture:read")
                        .requestMatchers(HttpMethod.GET, "/v1/devices", "/v1/devices/*", "/v1/devices/*/history")
                        .hasAuthority("SCOPE_devices:read")
                        .requestMatchers(HttpMethod.PUT, "/v1/devices/*").hasAuthority("SCOPE_devices:write")
                        // devices:report only for the device named in the token (device.ReportBinding); -any: every device
                        .requestMatchers(HttpMethod.POST, "/v1/devices/*/reports")
                        .hasAnyAuthority("SCOPE_devices:report", "SCOPE_devices:report-any")
                        .requestMatchers(HttpMethod.POST, "/v1/devices/*/quarantine", "/v1/devices/*/release")
                        .hasAuthority("SCOPE_devices:write")
                        .requestMatchers("/error").permitAll()
                        .anyRequest().denyAll())
                .oauth2ResourceServer(o -> o
                        .jwt(j -> { })
                        .withObjectPostProcessor(new ObjectPostProcessor<BearerTokenAuthenticationFilter>() {
                            @Override
                            public <F extends BearerTokenAuthenticationFilter> F postProcess(F filter) {
                                filter.setAuthenticationFailureHandler(issuerUnavailable(json, bearer));
                                return filter;
                            }
                        })
                        .authenticationEntryPoint((req, res, e) -> {
                            bearer.commence(req, res, e);
                            write(json, res, HttpStatus.UNAUTHORIZED, "unauthenticated",
                                    "a valid bearer token is required: " + e.getMessage());
                        })
                        .accessDeniedHandler((req, res, e) -> {
                            denied.handle(req, res, e);
                            write(json, res, HttpStatus.FORBIDDEN, "insufficient-scope",
                                    "the token lacks the scope this endpoint needs");
                        }))
                .exceptionHandling(x -> x
                        .authenticationEntryPoint((req, res, e) -> {
                            bearer.commence(req, res, e);
                            write(json, res, HttpStatus.UNAUTHORIZED, "unauthenticated",
                                    "a bearer token is required");
                        })
                        .accessDeniedHandler((req, res, e) -> {
                            denied.handle(req, res, e);
                            write(json, res, HttpStatus.FORBIDDEN, "insufficient-scope",
                                    "the token lacks the scope this endpoint needs");
                        }))
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .build();
    }

    /**
     * A token that could not be checked because the issuer's keys could not be fetched (Spring Security's
     * {@link AuthenticationServiceException}) is not a bad token: 503 {@code issuer-unavailable} with
     * {@code Retry-After}, not 401 (a client would drop a good token) nor a 500. Bad tokens go to the entry point.
     */
    private static AuthenticationFailureHandler issuerUnavailable(ObjectMapper json,
                                                                  BearerTokenAuthenticationEntryPoint bearer) {
        return (req, res, e) -> {
            if (e instanceof AuthenticationServiceException) {
                res.setHeader(HttpHeaders.RETRY_AFTER, "5");
                write(json, res, HttpStatus.SERVICE_UNAVAILABLE, "issuer-unavailable",
                        "the token cannot be checked now: the issuer's keys could not be fetched");
                return;
            }
            bearer.commence(req, res, e);
            write(json, res, HttpStatus.UNAUTHORIZED, "unauthenticated",
                    "a valid bearer token is required: " + e.getMessage());
        };
    }

    private static void write(ObjectMapper json, HttpServletResponse res, HttpStatus status, String code,
                              String detail) throws IOException {
        ProblemDetail pd = ProblemHandler.problem(status, code, detail, List.of());
        res.setStatus(status.value());
        res.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(res.getOutputStream(), pd);
    }
}
