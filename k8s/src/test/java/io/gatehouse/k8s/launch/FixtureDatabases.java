package io.gatehouse.k8s.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The stateful services the manifests expect outside the cluster, on their own loopback addresses and real ports:
 * Debian's PostgreSQL 15 (RDS stands-in: TLS only, scram passwords, a certificate for the database host name from
 * the launch's database CA) and Debian's redis-server (ElastiCache stands-in, without TLS). PostgreSQL refuses to
 * run as root, so its data directory belongs to the {@code postgres} user.
 */
final class FixtureDatabases implements AutoCloseable {

    static final String PG_BIN = "/usr/lib/postgresql/15/bin";
    static final String REDIS = "/usr/bin/redis-server";

    private final Path dir;
    private final String redisAddress;
    private Process redis;
    private boolean postgresStarted;

    private FixtureDatabases(Path dir, String redisAddress) {
        this.dir = dir;
        this.redisAddress = redisAddress;
    }

    static FixtureDatabases start(Path dir, LaunchPki pki, String pgAddress, String database, String user,
                                  String password, String redisAddress) {
        for (String binary : List.of(PG_BIN + "/initdb", REDIS)) {
            if (!Files.isExecutable(Path.of(binary))) {
                throw new IllegalStateException(binary + " is missing (Debian packages postgresql-15 and redis-server;"
                        + " scripts/install-prerequisites installs them)");
            }
        }
        FixtureDatabases dbs = new FixtureDatabases(dir, redisAddress);
        try {
            dbs.startPostgres(pki, pgAddress, database, user, password);
            dbs.startRedis();
            return dbs;
        } catch (RuntimeException e) {
            dbs.close();
            throw e;
        }
    }

    private void startPostgres(LaunchPki pki, String address, String database, String user, String password) {
        try {
            Path pg = Files.createDirectories(dir.resolve("pg"));
            Path log = pg.resolve("setup.log");
            Files.writeString(pg.resolve("pwfile"), password + "\n");
            Files.copy(pki.file("db.crt"), pg.resolve("server.crt"));
            Files.copy(pki.file("db.key"), pg.resolve("server.key"));
            Files.setPosixFilePermissions(pg.resolve("server.key"), PosixFilePermissions.fromString("rw-------"));
            Commands.run(pg, log, List.of("chown", "-R", "postgres:postgres", pg.toString()));
            asPostgres(pg, log, PG_BIN + "/initdb -D " + pg.resolve("data") + " -U " + user + " --pwfile="
                    + pg.resolve("pwfile") + " --auth-local=trust --auth-host=scram-sha-256 -E UTF8");
            // Only TLS connections with a password over the network, as RDS with rds.force_ssl.
            Files.writeString(pg.resolve("data/pg_hba.conf"), "local all all trust\n"
                    + "hostssl all all 127.0.0.0/8 scram-sha-256\n");
            asPostgres(pg, log, PG_BIN + "/pg_ctl -D " + pg.resolve("data") + " -l " + pg.resolve("postgres.log")
                    + " -w -o \"-p 5432 -k " + pg + " -c listen_addresses=" + address + " -c fsync=off -c ssl=on"
                    + " -c ssl_cert_file=" + pg.resolve("server.crt") + " -c ssl_key_file=" + pg.resolve("server.key")
                    + "\" start");
            postgresStarted = true;
            asPostgres(pg, log, "/usr/bin/psql -h " + pg + " -p 5432 -U " + user + " -d postgres -c 'create database "
                    + database + "'");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void asPostgres(Path pg, Path log, String command) {
        Commands.run(pg, log, List.of("runuser", "-u", "postgres", "--", "sh", "-c", command));
    }

    private void startRedis() {
        try {
            Path r = Files.createDirectories(dir.resolve("redis"));
            redis = new ProcessBuilder(REDIS, "--port", "6379", "--bind", redisAddress, "--save", "", "--appendonly",
                    "no", "--dir", r.toString()).redirectErrorStream(true)
                    .redirectOutput(r.resolve("redis.log").toFile()).start();
            Awaitility.await("redis on " + redisAddress + ":6379").atMost(Duration.ofSeconds(20)).ignoreExceptions()
                    .until(() -> {
                        try (Socket socket = new Socket(redisAddress, 6379)) {
                            return true;
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The keys Redis holds that match {@code pattern} (redis-cli KEYS). */
    String redisKeys(String pattern) {
        try {
            Process p = new ProcessBuilder("redis-cli", "-h", redisAddress, "-p", "6379", "--scan", "--pattern", pattern)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out.strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (redis != null) {
            redis.destroy();
            try {
                redis.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (postgresStarted) {
            Path pg = dir.resolve("pg");
            asPostgres(pg, pg.resolve("setup.log"), PG_BIN + "/pg_ctl -D " + pg.resolve("data") + " -m fast -w stop");
        }
    }
}
