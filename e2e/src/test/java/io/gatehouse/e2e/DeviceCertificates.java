package io.gatehouse.e2e;

import io.gatehouse.testsupport.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The device certificates {@code scripts/lib/pki} made (one PKCS#12 file per device), and for each device a home
 * directory whose NSS database ({@code .pki/nssdb}, the only place Chromium on Linux reads client certificates from)
 * holds that device's certificate and trusts the development CA: one managed laptop per browser. Needs
 * {@code certutil} and {@code pk12util} (Debian's libnss3-tools; scripts/install-prerequisites installs it).
 */
final class DeviceCertificates {

    private final Path pki;
    private final String password;

    DeviceCertificates(Path pki, String password) {
        this.pki = pki;
        this.password = password;
    }

    Path cert(String device) {
        return pki.resolve("devices/" + device + ".crt");
    }

    Path key(String device) {
        return pki.resolve("devices/" + device + ".key");
    }

    Path ca() {
        return pki.resolve("ca.crt");
    }

    /** The certificate's SHA-256 fingerprint (lower-case hex), as the inventory stores it. */
    String fingerprint(String device) {
        try {
            return Files.readString(pki.resolve("devices/" + device + ".sha256")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A HOME for Chromium on {@code device}, made once (the NSS database takes a few certutil runs). */
    synchronized Path home(String device) {
        Path home = pki.resolveSibling("homes").resolve(device);
        Path db = home.resolve(".pki/nssdb");
        if (Files.isRegularFile(db.resolve("cert9.db"))) {
            return home;
        }
        try {
            Files.createDirectories(db);
            Path log = home.resolve("nss.log");
            Duration t = Duration.ofSeconds(30);
            String sql = "sql:" + db;
            Processes.run(home, log, t, List.of("certutil", "-N", "-d", sql, "--empty-password"), Map.of());
            Processes.run(home, log, t, List.of("certutil", "-A", "-d", sql, "-n", "Gatehouse development CA",
                    "-t", "CT,,", "-i", ca().toString()), Map.of());
            Processes.run(home, log, t, List.of("pk12util", "-i", pki.resolve("devices/" + device + ".p12").toString(),
                    "-d", sql, "-W", password, "-K", ""), Map.of());
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
