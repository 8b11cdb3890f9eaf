package io.gatehouse.gateway.device;

import io.gatehouse.gateway.RequestContext.DeviceFacts;
import io.gatehouse.gateway.RequestStep;
import io.gatehouse.policy.DevicePosture;
import io.gatehouse.policy.Reason;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The DEVICE stage as a function (docs/design-next.md §1): from the certificate verified in the TLS handshake, else a
 * certificate a trusted peer forwarded (validated against the device CA by {@link ClientCertificates}), to the
 * device's posture ({@link PostureClient}: cache, timeout, breaker, never an error). The caller decides whom it
 * trusts to forward a certificate; this class only judges the certificate. Steps:
 * <ol>
 *   <li>neither certificate: empty, no device;</li>
 *   <li>a forwarded certificate that cannot be read or does not chain to the device CA: a presented device that
 *       counts unknown ({@code forwarded-certificate-invalid}), with the reason;</li>
 *   <li>otherwise its SHA-256 fingerprint's posture, with the note (not enrolled, inventory unreachable).</li>
 * </ol>
 */
public final class DeviceResolver {

    /** The device id recorded for a forwarded certificate that could not be validated. */
    public static final String INVALID_FORWARDED = "forwarded-certificate-invalid";

    private final PostureClient postures;
    private final ClientCertificates certificates;

    public DeviceResolver(PostureClient postures, ClientCertificates certificates) {
        this.postures = Objects.requireNonNull(postures, "postures");
        this.certificates = Objects.requireNonNull(certificates, "certificates");
    }

    /** The device presented directly, else the one forwarded (only pass one from a trusted peer). */
    public Mono<Optional<DeviceFacts>> resolve(@Nullable X509Certificate direct, @Nullable String forwarded) {
        if (direct != null) {
            return lookup(ClientCertificates.sha256Hex(direct));
        }
        if (forwarded == null) {
            return Mono.just(Optional.empty());
        }
        try {
            Optional<X509Certificate> certificate = certificates.forwarded(forwarded);
            if (certificate.isEmpty()) {
                return Mono.just(Optional.empty());
            }
            return lookup(ClientCertificates.sha256Hex(certificate.get()));
        } catch (GeneralSecurityException | RuntimeException e) {
            // A forwarded certificate we cannot verify is a presented device that counts unknown, and says why.
            return Mono.just(Optional.of(new DeviceFacts(INVALID_FORWARDED,
                    DevicePosture.unknown(INVALID_FORWARDED, "invalid forwarded certificate"),
                    List.of(new Reason(PostureLookup.CERTIFICATE_INVALID, "forwarded client certificate rejected ("
                            + e.getClass().getSimpleName() + "); device counts as unknown")))));
        }
    }

    private Mono<Optional<DeviceFacts>> lookup(String sha256) {
        Mono<PostureLookup> posture = postures.posture(sha256);
        if (RequestStep.ready(posture)) {
            // A cached answer: handed on as a ready Mono, so the request path goes on without operators.
            PostureLookup answer = RequestStep.now(posture);
            return answer == null ? Mono.empty() : Mono.just(facts(sha256, answer));
        }
        return posture.map(answer -> facts(sha256, answer));
    }

    private static Optional<DeviceFacts> facts(String sha256, PostureLookup answer) {
        return Optional.of(new DeviceFacts(sha256, answer.posture(),
                answer.note() == null ? List.of() : List.of(answer.note())));
    }
}
