package io.gatehouse.deviceinventory.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.gatehouse.deviceinventory.DeviceInventoryApplication;
import io.gatehouse.deviceinventory.support.PostgresFixture;
import io.gatehouse.deviceinventory.support.InventoryTokens;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 18, item 7: nothing the inventory waits on waits without a bound. The database pool gives up on a
 * connection after {@code spring.datasource.hikari.connection-timeout}, statements after {@code statement_timeout},
 * reads after the JDBC {@code socketTimeout}; the JWKS client after its connect and read timeouts (here against an
 * issuer that accepts connections and never answers: 503, since the token may be good); and a Prometheus scrape runs no SQL, so it answers even while
 * the device table is locked. Its own context: the JWKS URI points at the silent server.
 */
@AutoConfigureObservability(tracing = false)
@SpringBootTest(classes = DeviceInventoryApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "server.port=0", "inventory.auth.jwks-read-timeout=500ms"})
class InventoryTimeoutsIT {

    private static final SilentServer SILENT_JWKS = new SilentServer();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    DataSource dataSource;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        PostgresFixture.register(registry);
        InventoryTokens.register(registry);
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", SILENT_JWKS::uri);
    }

    @AfterAll
    static void stop() throws IOException {
        SILENT_JWKS.close();
    }

    @Test
    void databaseWhenConnectedThenPoolStatementAndSocketTimeoutsAreBounded() throws Exception {
        assertThat(dataSource.unwrap(HikariDataSource.class).getConnectionTimeout()).isEqualTo(3000);
        assertThat(new JdbcTemplate(dataSource).queryForObject("show statement_timeout", String.class))
                .isEqualTo("5s");
        try (Connection c = dataSource.getConnection()) {
            assertThat(c.getNetworkTimeout()).isEqualTo(10_000);
        }
    }

    @Test
    void requestWhenJwksServerNeverAnswersThen503ProblemWithinSeconds() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/devices"))
                .header("Authorization", "Bearer " + InventoryTokens.get().token("admin-1", "devices:read"))
                .timeout(Duration.ofSeconds(8)).build();

        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());

        // The token may well be good: the service cannot tell now. Not 401 (the client would drop a good token).
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(response.body()).contains("\"code\":\"issuer-unavailable\"");
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
    }

    @Test
    void scrapeWhenDeviceTableIsLockedThenAnswersAtOnce() throws Exception {
        PostgresFixture.Database db = PostgresFixture.database();
        try (Connection locker = DriverManager.getConnection(db.url(), db.username(), db.password())) {
            locker.setAutoCommit(false);
            try (Statement s = locker.createStatement()) {
                s.execute("lock table device in access exclusive mode");
            }
            HttpRequest scrape = HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(3)).build();

            HttpResponse<String> response = HTTP.send(scrape, HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("inventory_devices{");
            locker.rollback();
        }
    }

    /** Accepts TCP connections on loopback and never writes a byte: an issuer that hangs. */
    static final class SilentServer implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> held = new CopyOnWriteArrayList<>();

        SilentServer() {
            try {
                server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Thread t = new Thread(() -> {
                while (!server.isClosed() && held.size() < 100) {
                    try {
                        held.add(server.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-jwks");
            t.setDaemon(true);
            t.start();
        }

        String uri() {
            return "http://127.0.0.1:" + server.getLocalPort() + "/jwks.json";
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
