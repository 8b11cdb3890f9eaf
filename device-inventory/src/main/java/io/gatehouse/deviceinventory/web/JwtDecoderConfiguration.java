package io.gatehouse.deviceinventory.web;

import java.util.List;
import org.springframework.boot.autoconfigure.security.oauth2.resource.OAuth2ResourceServerProperties;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.util.StringUtils;
import org.springframework.web.client.RestTemplate;

/**
 * The bearer-token decoder, in place of Boot's: the same {@code spring.security.oauth2.resourceserver.jwt.*} keys
 * ({@code jwk-set-uri}, else discovery from {@code issuer-uri}; {@code iss} checked when {@code issuer-uri} is set),
 * plus what Boot's lacks: connect and read timeouts on the JWKS and discovery requests (Boot's default client waits
 * forever, holding a request thread per token while the issuer hangs), and the {@code aud} check of
 * {@link AuthProperties#audience()}.
 */
@Configuration(proxyBeanMethods = false)
class JwtDecoderConfiguration {

    @Bean
    JwtDecoder jwtDecoder(OAuth2ResourceServerProperties resourceServer, AuthProperties auth) {
        OAuth2ResourceServerProperties.Jwt jwt = resourceServer.getJwt();
        RestTemplate rest = new RestTemplateBuilder().connectTimeout(auth.jwksConnectTimeout())
                .readTimeout(auth.jwksReadTimeout()).build();
        NimbusJwtDecoder decoder;
        if (StringUtils.hasText(jwt.getJwkSetUri())) {
            decoder = NimbusJwtDecoder.withJwkSetUri(jwt.getJwkSetUri()).restOperations(rest).build();
        } else if (StringUtils.hasText(jwt.getIssuerUri())) {
            decoder = NimbusJwtDecoder.withIssuerLocation(jwt.getIssuerUri()).restOperations(rest).build();
        } else {
            // Fail the start rather than run an API nobody can call (or, worse, one that a later default opens).
            throw new IllegalStateException("device-inventory needs a token issuer: set "
                    + "spring.security.oauth2.resourceserver.jwt.issuer-uri or .jwk-set-uri "
                    + "(env SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI)");
        }
        OAuth2TokenValidator<Jwt> standard = StringUtils.hasText(jwt.getIssuerUri())
                ? JwtValidators.createDefaultWithIssuer(jwt.getIssuerUri()) : JwtValidators.createDefault();
        // A token for another API of the same issuer must not work here: aud has to name the inventory.
        OAuth2TokenValidator<Jwt> audience = new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
                aud -> aud != null && aud.contains(auth.audience()));
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(standard, audience));
        return decoder;
    }
}
