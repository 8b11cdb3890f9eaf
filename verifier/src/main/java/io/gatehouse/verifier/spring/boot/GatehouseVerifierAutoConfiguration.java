package io.gatehouse.verifier.spring.boot;

import io.gatehouse.verifier.GatehouseVerifier;
import java.lang.System.Logger.Level;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** Makes the {@link GatehouseVerifier} bean from {@link GatehouseVerifierProperties}. */
@AutoConfiguration
@ConditionalOnProperty(prefix = "gatehouse.verifier", name = {"issuer", "audience"})
@EnableConfigurationProperties(GatehouseVerifierProperties.class)
public class GatehouseVerifierAutoConfiguration {
    private static final System.Logger LOG = System.getLogger(GatehouseVerifierAutoConfiguration.class.getName());

    @Bean
    @ConditionalOnMissingBean
    public GatehouseVerifier gatehouseVerifier(GatehouseVerifierProperties properties) {
        GatehouseVerifier.Builder builder = GatehouseVerifier.builder(properties.issuer(), properties.audience())
                .publicHost(properties.publicHost())
                .clockSkew(properties.clockSkew());
        if (properties.jwksUri() != null) {
            builder.jwksUri(properties.jwksUri());
        }
        GatehouseVerifier verifier = builder.build();
        LOG.log(Level.INFO, "Gatehouse verifier for issuer {0}, audience {1}, public host {2}, ECDSA by {3}",
                properties.issuer(), properties.audience(),
                properties.publicHost() == null ? "(request Host)" : properties.publicHost(), verifier.signatureProvider());
        return verifier;
    }
}
