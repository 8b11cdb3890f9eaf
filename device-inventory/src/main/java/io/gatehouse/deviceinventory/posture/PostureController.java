package io.gatehouse.deviceinventory.posture;

import io.gatehouse.deviceinventory.device.DeviceRepository;
import io.gatehouse.deviceinventory.device.DeviceRequests;
import io.gatehouse.deviceinventory.trust.TrustPolicy;
import io.gatehouse.deviceinventory.web.ApiProblem;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.Objects;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/posture?cert_sha256=HEX} (scope {@code posture:read}). Each lookup is timed in
 * {@code inventory.posture.lookups} tagged {@code result=found|unknown|invalid}.
 */
@RestController
class PostureController {

    private final DeviceRepository devices;
    private final TrustPolicy trust;
    private final Clock clock;
    private final Timer found;
    private final Timer unknown;
    private final Timer invalid;

    PostureController(DeviceRepository devices, TrustPolicy trust, Clock clock, MeterRegistry registry) {
        this.devices = Objects.requireNonNull(devices, "devices");
        this.trust = Objects.requireNonNull(trust, "trust");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.found = timer(registry, "found");
        this.unknown = timer(registry, "unknown");
        this.invalid = timer(registry, "invalid");
    }

    @GetMapping(path = "/v1/posture", produces = "application/json")
    DevicePosture posture(@RequestParam("cert_sha256") String certSha256) {
        long start = System.nanoTime();
        Timer outcome = invalid;
        try {
            String sha = DeviceRequests.fingerprint("cert_sha256", certSha256);
            outcome = unknown;
            DevicePosture posture = devices.findByCertificate(sha)
                    .map(d -> DevicePosture.of(d, trust.evaluate(d.trustFacts(), clock.instant())))
                    .orElseThrow(() -> ApiProblem.notFound("unknown-certificate",
                            "no device holds a certificate with SHA-256 " + sha));
            outcome = found;
            return posture;
        } finally {
            outcome.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    private static Timer timer(MeterRegistry registry, String result) {
        return Timer.builder("inventory.posture.lookups")
                .description("posture lookups by certificate fingerprint")
                .tag("result", result)
                .register(registry);
    }
}
