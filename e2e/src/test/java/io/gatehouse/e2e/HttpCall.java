package io.gatehouse.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One request with curl, as a browser or API client sends it to a proxy: the routed host resolved to loopback
 * ({@code --resolve}), HTTP/1.1 or HTTP/2, optionally a client certificate, extra headers, a cookie jar, a source
 * address. curl, because it speaks both protocols with ALPN and presents client certificates like a device would.
 */
final class HttpCall {

    record Response(int status, Map<String, List<String>> headers, String body) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    private final List<String> command = new ArrayList<>();
    private String url;

    private HttpCall(Path ca) {
        command.addAll(List.of("curl", "-sS", "--max-time", "20", "--cacert", ca.toString()));
    }

    static HttpCall to(Path ca, String url) {
        HttpCall call = new HttpCall(ca);
        call.url = url;
        return call;
    }

    HttpCall http2(boolean h2) {
        command.add(h2 ? "--http2" : "--http1.1");
        return this;
    }

    HttpCall resolve(String host, int port) {
        command.addAll(List.of("--resolve", host + ":" + port + ":127.0.0.1"));
        return this;
    }

    HttpCall header(String name, String value) {
        command.addAll(List.of("-H", name + ": " + value));
        return this;
    }

    HttpCall bearer(String token) {
        return header("Authorization", "Bearer " + token);
    }

    HttpCall cert(Path certificate, Path key) {
        command.addAll(List.of("--cert", certificate.toString(), "--key", key.toString()));
        return this;
    }

    HttpCall cookies(Path jar) {
        command.addAll(List.of("-b", jar.toString(), "-c", jar.toString()));
        return this;
    }

    /** Connects from this local address (another loopback address than the trusted caller's). */
    HttpCall from(String address) {
        command.addAll(List.of("--interface", address));
        return this;
    }

    Response get() {
        try {
            Path headers = Files.createTempFile("curl-headers", ".txt");
            try {
                List<String> all = new ArrayList<>(command);
                all.addAll(List.of("-D", headers.toString(), "-w", "\n%{http_code}", url));
                Process process = new ProcessBuilder(all).redirectErrorStream(true).start();
                byte[] out = process.getInputStream().readAllBytes();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("curl did not finish in 30 s: " + all);
                }
                String text = new String(out, StandardCharsets.UTF_8);
                int split = text.lastIndexOf('\n');
                if (process.exitValue() != 0 || split < 0) {
                    throw new IllegalStateException("curl exited " + process.exitValue() + ": " + text);
                }
                Map<String, List<String>> parsed = new LinkedHashMap<>();
                for (String line : Files.readAllLines(headers, StandardCharsets.ISO_8859_1)) {
                    int colon = line.indexOf(':');
                    if (line.startsWith("HTTP/")) {
                        parsed.clear();   // the last response's headers only
                    } else if (colon > 0) {
                        parsed.computeIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                                k -> new ArrayList<>()).add(line.substring(colon + 1).strip());
                    }
                }
                return new Response(Integer.parseInt(text.substring(split + 1).strip()), parsed,
                        text.substring(0, split));
            } finally {
                Files.deleteIfExists(headers);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
