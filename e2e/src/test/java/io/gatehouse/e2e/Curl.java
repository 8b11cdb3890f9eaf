package io.gatehouse.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An API client as the README's examples use it: curl with the development CA, optionally a device certificate and a
 * bearer token. curl, not Java's HTTP client, because curl resolves {@code *.localhost} to loopback by itself (the
 * system resolver here does not), so the request carries the routed host in SNI and {@code Host} exactly as a
 * client's would.
 */
final class Curl {

    record Response(int status, String body) {
    }

    private final Path ca;

    Curl(Path ca) {
        this.ca = ca;
    }

    /**
     * GET {@code url} with {@code Accept: application/json}; {@code device} (certificate and key) and {@code token} may be
     * null; {@code userAgent} lets a test find this request's line in the decision log.
     */
    Response get(String url, DeviceCertificates devices, String device, String token, String userAgent) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "--cacert", ca.toString(),
                "-H", "Accept: application/json", "-A", userAgent, "-w", "\n%{http_code}"));
        if (device != null) {
            command.addAll(List.of("--cert", devices.cert(device).toString(), "--key", devices.key(device).toString()));
        }
        if (token != null) {
            command.addAll(List.of("-H", "Authorization: Bearer " + token));
        }
        command.add(url);
        return run(command);
    }

    /** GET straight to an upstream (no gateway), sending {@code header}. */
    Response getDirect(String url, String header) {
        return run(List.of("curl", "-sS", "--max-time", "20", "-H", "Accept: application/json", "-H", header,
                "-w", "\n%{http_code}", url));
    }

    private static Response run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("curl did not finish in 30 s: " + command);
            }
            String text = new String(out, StandardCharsets.UTF_8);
            int split = text.lastIndexOf('\n');
            if (process.exitValue() != 0 || split < 0) {
                throw new IllegalStateException("curl exited " + process.exitValue() + ": " + text);
            }
            return new Response(Integer.parseInt(text.substring(split + 1).strip()), text.substring(0, split));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
