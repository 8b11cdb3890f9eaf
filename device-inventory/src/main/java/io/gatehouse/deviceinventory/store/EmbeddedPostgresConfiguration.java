package io.gatehouse.deviceinventory.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Starts an embedded PostgreSQL when no {@code spring.datasource.url} is configured. The server binds to
 * loopback only and lives as long as the application context (closed with it).
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedPostgresConfiguration.NoDatasourceUrl.class)
class EmbeddedPostgresConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(EmbeddedPostgresProperties properties) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "127.0.0.1");
        if (properties.port() > 0) {
            builder.setPort(properties.port());
        }
        if (StringUtils.hasText(properties.dataDirectory())) {
            builder.setDataDirectory(Path.of(properties.dataDirectory())).setCleanDataDirectory(false);
        }
        EmbeddedPostgres pg = builder.start();
        log.warn("No spring.datasource.url: started an embedded PostgreSQL on 127.0.0.1:{} ({}). "
                        + "For production set spring.datasource.url/username/password.",
                pg.getPort(), StringUtils.hasText(properties.dataDirectory())
                        ? "data in " + properties.dataDirectory() : "temporary data, gone on shutdown");
        return pg;
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource(EmbeddedPostgres pg, Environment environment) {
        HikariConfig config = new HikariConfig();
        // The same pool and driver settings (timeouts) as a configured database gets.
        Binder.get(environment).bind("spring.datasource.hikari", Bindable.ofInstance(config));
        config.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres"));
        config.setUsername("postgres");
        config.setPoolName("inventory-embedded");
        config.setMaximumPoolSize(10);
        return new HikariDataSource(config);
    }

    /** Matches when {@code spring.datasource.url} is absent or empty. */
    static final class NoDatasourceUrl implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !StringUtils.hasText(context.getEnvironment().getProperty("spring.datasource.url"));
        }
    }
}
