package io.gatehouse.gateway.device;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Certificate work of the DEVICE stage: the SHA-256 fingerprint (lower-case hex of the DER), and validation of a
 * certificate forwarded by a trusted front proxy against the device CA ({@code gatehouse.device-ca}, PEM, one or
 * more CA certificates). A certificate from the TLS handshake was already validated by the TLS layer; a forwarded
 * one is validated here again, because a header is only text. Revocation is not checked here (the inventory's
 * posture, e.g. quarantine, is the revocation path). Thread-safe.
 *
 * <p>A validated forwarded certificate is remembered by its header value (bounded, 10 minutes): PKIX validation
 * costs an ECDSA or RSA verify, about a millisecond of CPU on JDK 17, which a TLS handshake pays once per connection
 * but a header would pay on every request. Its validity dates are still checked on every use; failures are never
 * cached.
 *
 * <p>The device CA file is read again when it changes ({@link #reloadDeviceCa()}, called by the key-file watch as for
 * the TLS listener's copy of the same CA): a rotated CA governs forwarded certificates too, and the cache of validated
 * certificates is emptied, so a device of a CA taken out of the file is refused on its next request.
 */
public final class ClientCertificates {

    private static final Pattern ENVOY_CERT = Pattern.compile("(?:^|[;,])\\s*Cert=\"([^\"]*)\"");

    private final @Nullable Path deviceCa;
    private volatile @Nullable Set<TrustAnchor> anchors;
    private final Cache<String, X509Certificate> validated = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(10)).build();
    private final AtomicLong chainValidations = new AtomicLong();

    ClientCertificates(@Nullable Set<TrustAnchor> anchors) {
        this(null, anchors);
    }

    private ClientCertificates(@Nullable Path deviceCa, @Nullable Set<TrustAnchor> anchors) {
        this.deviceCa = deviceCa;
        this.anchors = anchors;
    }

    /** The device CA file, when one is configured. */
    Optional<Path> deviceCa() {
        return Optional.ofNullable(deviceCa);
    }

    /**
     * Reads the device CA file again and puts it in force, forgetting every validated certificate. A file that cannot
     * be read or holds no certificate leaves the CA in force as it was and throws {@link IllegalArgumentException}.
     */
    void reloadDeviceCa() {
        if (deviceCa == null) {
            return;
        }
        Set<TrustAnchor> next = readAnchors(deviceCa);
        anchors = next;
        validated.invalidateAll();
    }

    /** How many forwarded chains went through PKIX validation (the rest came from the cache). */
    long chainValidations() {
        return chainValidations.get();
    }

    /** Loads the device CA PEM; a blank path means no device CA (then no forwarded certificate is accepted). */
    static ClientCertificates fromDeviceCa(@Nullable String pemPath) {
        if (pemPath == null || pemPath.isBlank()) {
            return new ClientCertificates(null, null);
        }
        Path path = Path.of(pemPath);
        return new ClientCertificates(path, readAnchors(path));
    }

    private static Set<TrustAnchor> readAnchors(Path pemPath) {
        try (InputStream in = Files.newInputStream(pemPath)) {
            Set<TrustAnchor> anchors = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(c -> new TrustAnchor((X509Certificate) c, null))
                    .collect(Collectors.toUnmodifiableSet());
            if (anchors.isEmpty()) {
                throw new IllegalArgumentException("gatehouse.device-ca: " + pemPath + " holds no certificate");
            }
            return anchors;
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("gatehouse.device-ca: cannot read " + pemPath + ": " + e.getMessage(), e);
        }
    }

    /** Lower-case hex SHA-256 of the certificate's DER encoding. */
    public static String sha256Hex(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 over a certificate failed", e);
        }
    }

    /**
     * Parses a forwarded header value (URL-encoded PEM, or Envoy's {@code Cert="<url-encoded PEM>"} element) and
     * validates the leaf against the device CA. Empty when there is nothing to parse; an error message (as the
     * exception) when the certificate is unreadable or not issued by the device CA.
     */
    public Optional<X509Certificate> forwarded(String headerValue) throws GeneralSecurityException {
        String value = headerValue.trim();
        if (value.isEmpty()) {
            return Optional.empty();
        }
        X509Certificate known = validated.getIfPresent(value);
        if (known != null) {
            known.checkValidity();
            return Optional.of(known);
        }
        Matcher envoy = ENVOY_CERT.matcher(value);
        String encoded = envoy.find() ? envoy.group(1) : value;
        String pem = URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
        List<X509Certificate> chain = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).stream()
                .map(X509Certificate.class::cast).toList();
        if (chain.isEmpty()) {
            throw new CertificateException("no certificate in the forwarded header");
        }
        validate(chain);
        validated.put(value, chain.get(0));
        return Optional.of(chain.get(0));
    }

    private void validate(List<X509Certificate> chain) throws GeneralSecurityException {
        Set<TrustAnchor> anchors = this.anchors;
        if (anchors == null) {
            throw new CertificateException("gatehouse.device-ca is not configured, so no forwarded certificate can be"
                    + " validated");
        }
        chainValidations.incrementAndGet();
        PKIXParameters parameters = new PKIXParameters(anchors);
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
        chain.get(0).checkValidity();
    }
}
