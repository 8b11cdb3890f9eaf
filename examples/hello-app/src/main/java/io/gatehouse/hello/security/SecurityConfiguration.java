package io.gatehouse.hello.security;

import static io.gatehouse.verifier.spring.servlet.GatehouseSecurityConfigurer.gatehouse;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/** Every page needs the gateway's assertion; the health check does not (the orchestrator has none). */
@Configuration
public class SecurityConfiguration {
    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(a -> a.requestMatchers("/actuator/health/**").permitAll().anyRequest().authenticated())
                .with(gatehouse(), Customizer.withDefaults())
                .build();
    }
}
