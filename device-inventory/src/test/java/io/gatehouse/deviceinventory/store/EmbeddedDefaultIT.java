package io.gatehouse.deviceinventory.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.deviceinventory.DeviceInventoryApplication;
import io.gatehouse.deviceinventory.support.Api;
import io.gatehouse.deviceinventory.support.InventoryTokens;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * With no {@code spring.datasource.url} the service starts its own PostgreSQL, migrates it, serves, and stops the
 * server again when it shuts down: what {@code java -jar device-inventory.jar} does on a laptop.
 */
class EmbeddedDefaultIT {

    @Test
    void startWhenNoDatasourceUrlThenRunsOnItsOwnPostgresAndStopsIt() throws Exception {
        int pgPort;
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(DeviceInventoryApplication.class)
                .run("--server.port=0", "--management.server.port=0", "--spring.main.banner-mode=off",
                        "--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + InventoryTokens.get().jwksUri())) {
            pgPort = app.getBean(EmbeddedPostgres.class).getPort();
            JdbcClient jdbc = app.getBean(JdbcClient.class);
            assertThat(jdbc.sql("select version()").query(String.class).single()).startsWith("PostgreSQL 17");
            assertThat(jdbc.sql("select count(*) from flyway_schema_history where success").query(Long.class)
                    .single()).isPositive();
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            Api api = new Api(port);
            String token = InventoryTokens.get().token("laptop", "devices:write devices:read");
            assertThat(api.send("PUT", "/v1/devices/dev-local", token, "{\"owner\":\"pat@corp.example\","
                    + "\"os\":\"Linux\",\"managed\":true}").status()).isEqualTo(201);
        }
        assertThat(portOpen(pgPort)).as("embedded PostgreSQL stopped with the service").isFalse();
    }

    private static boolean portOpen(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
