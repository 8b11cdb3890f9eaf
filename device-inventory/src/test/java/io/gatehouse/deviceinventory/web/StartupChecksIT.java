package io.gatehouse.deviceinventory.web;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.deviceinventory.DeviceInventoryApplication;
import io.gatehouse.deviceinventory.support.PostgresFixture;
import io.gatehouse.deviceinventory.support.InventoryTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The service refuses to start half-configured: actuator on the API port, or no token issuer. */
class StartupChecksIT {

    private static String[] args(String... extra) {
        PostgresFixture.Database db = PostgresFixture.database();
        String[] base = {"--spring.datasource.url=" + db.url(), "--spring.datasource.username=" + db.username(),
                "--spring.datasource.password=" + db.password(), "--spring.main.banner-mode=off"};
        String[] out = new String[base.length + extra.length];
        System.arraycopy(base, 0, out, 0, base.length);
        System.arraycopy(extra, 0, out, base.length, extra.length);
        return out;
    }

    @Test
    void startWhenManagementPortEqualsServerPortThenFails() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(DeviceInventoryApplication.class).run(args(
                "--server.port=18599", "--management.server.port=18599",
                "--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + InventoryTokens.get().jwksUri())).close())
                .hasStackTraceContaining("must differ from server.port");
    }

    @Test
    void startWhenNoIssuerConfiguredThenFailsNamingTheProperty() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(DeviceInventoryApplication.class).run(args(
                "--server.port=0", "--management.server.port=0")).close())
                .hasStackTraceContaining("spring.security.oauth2.resourceserver.jwt.issuer-uri");
    }
}
