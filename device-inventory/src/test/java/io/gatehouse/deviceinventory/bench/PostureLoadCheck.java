package io.gatehouse.deviceinventory.bench;

import io.gatehouse.deviceinventory.DeviceInventoryApplication;
import io.gatehouse.deviceinventory.support.Api;
import io.gatehouse.deviceinventory.support.InventoryTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A load check of {@code GET /v1/posture}, not a timed test: starts the service exactly as {@code java -jar} does
 * with no datasource (so on its own embedded PostgreSQL), a local JWKS issuer, seeds devices with reports, then
 * drives lookups of random known fingerprints from a few concurrent clients and prints lookups/s and latency
 * percentiles. With {@code wrk} on the PATH it also runs wrk against the same service. Run with
 * {@code device-inventory/bench/posture-load.sh [devices] [clients] [seconds]}.
 */
public final class PostureLoadCheck {

    private PostureLoadCheck() {
    }

    public static void main(String[] args) throws Exception {
        int devices = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        InventoryTokens issuer = InventoryTokens.get();
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(DeviceInventoryApplication.class)
                .run("--server.port=0", "--management.server.port=0", "--logging.level.root=WARN",
                        "--spring.main.banner-mode=off",
                        "--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + issuer.jwksUri())) {
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            long seedStart = System.nanoTime();
            List<String> certs = seed(new Api(port), issuer.token("bench", "devices:write devices:report-any"), devices);
            System.out.printf("seeding: %d PUTs + %d reports in %.1f s%n", devices, devices,
                    (System.nanoTime() - seedStart) / 1e9);
            String token = issuer.token("gateway", "posture:read");
            System.out.printf("seeded %d devices; %d clients for %d s (after a %d s warm-up)%n", devices, clients,
                    seconds, Math.max(3, seconds / 4));
            run(port, token, certs, clients, Math.max(3, seconds / 4), false);
            System.out.println("load average before: " + loadAverage());
            run(port, token, certs, clients, seconds, true);
            wrk(port, token, certs, clients, seconds);
            System.out.println("load average after: " + loadAverage());
        }
        System.exit(0); // the test issuer's JWKS server thread would keep the JVM alive
    }

    private static List<String> seed(Api api, String token, int n) {
        List<String> certs = new ArrayList<>();
        String now = Instant.now().toString();
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[32];
            ThreadLocalRandom.current().nextBytes(b);
            String cert = HexFormat.of().formatHex(b);
            String id = "bench-" + i + "-" + cert.substring(0, 8);
            Api.Response r = api.send("PUT", "/v1/devices/" + id, token, "{\"owner\":\"user" + (i % 100)
                    + "@corp.example\",\"os\":\"macOS\",\"os_version\":\"15.3\",\"managed\":true,\"cert_sha256\":[\""
                    + cert + "\"]}");
            if (r.status() != 201) {
                throw new IllegalStateException("seed failed: " + r.status() + " " + r.text());
            }
            api.send("POST", "/v1/devices/" + id + "/reports", token, "{\"disk_encrypted\":true,"
                    + "\"screen_lock\":true,\"os_version\":\"15.3\",\"reported_at\":\"" + now + "\"}");
            certs.add(cert);
        }
        return certs;
    }

    private static void run(int port, String token, List<String> certs, int clients, int seconds, boolean print)
            throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<long[]> samples = new ArrayList<>();
        AtomicLong errors = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            long[] mine = new long[4_000_000];
            samples.add(mine);
            Thread t = new Thread(() -> {
                int n = 0;
                while (System.nanoTime() < end && n < mine.length) {
                    String cert = certs.get(ThreadLocalRandom.current().nextInt(certs.size()));
                    HttpRequest req = HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/v1/posture?cert_sha256=" + cert))
                            .header("Authorization", "Bearer " + token).build();
                    long start = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (IOException | InterruptedException e) {
                        errors.incrementAndGet();
                    }
                    mine[n++] = System.nanoTime() - start;
                }
                mine[mine.length - 1] = n; // the count, in the last slot
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!print) {
            return;
        }
        long[] all = samples.stream().flatMapToLong(s -> Arrays.stream(s, 0, (int) s[s.length - 1])).sorted()
                .toArray();
        System.out.printf("java clients: %d lookups in %d s = %.0f lookups/s; p50 %.2f ms, p99 %.2f ms, "
                        + "p99.9 %.2f ms, max %.2f ms; errors %d%n", all.length, seconds, all.length / (double) seconds,
                ms(all, 0.50), ms(all, 0.99), ms(all, 0.999), all[all.length - 1] / 1e6, errors.get());
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The machine is shared: the load average says how much of it the run had. */
    private static String loadAverage() throws IOException {
        Path p = Path.of("/proc/loadavg");
        return Files.exists(p) ? Files.readString(p).trim() : "n/a";
    }

    private static double ms(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
    }

    private static void wrk(int port, String token, List<String> certs, int clients, int seconds) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/wrk"))) {
            System.out.println("wrk not installed; skipped (apt-get install -y wrk)");
            return;
        }
        Path lua = Files.createTempFile("posture", ".lua");
        StringBuilder s = new StringBuilder("local certs = {");
        certs.forEach(c -> s.append('"').append(c).append("\","));
        s.append("}\nrequest = function()\n  return wrk.format('GET', '/v1/posture?cert_sha256=' .. "
                + "certs[math.random(#certs)])\nend\n");
        Files.writeString(lua, s);
        long cpuBefore = processCpuNanos();
        Process p = new ProcessBuilder("wrk", "-t2", "-c" + clients, "-d" + seconds + "s", "--latency",
                "-H", "Authorization: Bearer " + token, "-s", lua.toString(), "http://127.0.0.1:" + port)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        System.out.print(out);
        System.out.println("wrk exit " + p.waitFor());
        long cpu = processCpuNanos() - cpuBefore;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) requests in").matcher(out);
        if (m.find()) {
            // Only the service runs in this JVM during the wrk phase; PostgreSQL's own CPU is not counted.
            System.out.printf("service JVM CPU per lookup (wrk phase): %.3f ms%n", cpu / 1e6 / Long.parseLong(m.group(1)));
        }
        Files.deleteIfExists(lua);
    }
}
