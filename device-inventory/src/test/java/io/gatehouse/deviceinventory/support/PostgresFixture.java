package io.gatehouse.deviceinventory.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * One real PostgreSQL per test JVM: Testcontainers' {@code postgres:17} when a Docker engine answers, otherwise
 * zonky's embedded PostgreSQL 17 (this machine has no Docker, so CI takes the embedded path). Started on first
 * use, stopped when the JVM exits.
 */
public final class PostgresFixture {

    private static volatile Database database;

    private PostgresFixture() {
    }

    /** Connection details of the running server. */
    public record Database(String kind, String url, String username, String password) {
    }

    public static synchronized Database database() {
        if (database == null) {
            database = dockerAvailable() ? startContainer() : startEmbedded();
        }
        return database;
    }

    public static void register(DynamicPropertyRegistry registry) {
        Database db = database();
        registry.add("spring.datasource.url", db::url);
        registry.add("spring.datasource.username", db::username);
        registry.add("spring.datasource.password", db::password);
    }

    private static boolean dockerAvailable() {
        // Asking Testcontainers without any Docker socket costs seconds of retries; look first.
        boolean socket = System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"));
        try {
            return socket && DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    @SuppressWarnings("resource") // stopped by the shutdown hook
    private static Database startContainer() {
        PostgreSQLContainer<?> pg = new PostgreSQLContainer<>("postgres:17-alpine");
        pg.start();
        Runtime.getRuntime().addShutdownHook(new Thread(pg::stop));
        return new Database("testcontainers", pg.getJdbcUrl(), pg.getUsername(), pg.getPassword());
    }

    private static Database startEmbedded() {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
            return new Database("embedded", pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
    }
}
