package io.gatehouse.gateway.device;

import io.gatehouse.gateway.tls.KeyFileWatch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the device CA file ({@code gatehouse.device-ca}) for the DEVICE stage's check of forwarded certificates, the
 * same way the TLS listener watches it for the handshake: a changed file that has settled is read whole and put in
 * force; a broken one is refused (the CA in force stays), logged and counted in
 * {@code gatehouse_tls_device_ca_reload_failures_total}; a good one counts in {@code gatehouse_tls_device_ca_reloads_total}.
 */
final class DeviceCaWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeviceCaWatch.class);

    private final @Nullable KeyFileWatch watch;

    private DeviceCaWatch(@Nullable KeyFileWatch watch) {
        this.watch = watch;
    }

    static DeviceCaWatch start(ClientCertificates certificates, Duration pollInterval, MeterRegistry meters) {
        if (certificates.deviceCa().isEmpty()) {
            return new DeviceCaWatch(null);
        }
        Path file = certificates.deviceCa().get();
        Counter reloads = Counter.builder("gatehouse.tls.device.ca.reloads")
                .description("device CA reloads put in force for forwarded client certificates").register(meters);
        Counter failures = Counter.builder("gatehouse.tls.device.ca.reload.failures")
                .description("device CA files refused for forwarded client certificates; the CA in force stayed")
                .register(meters);
        KeyFileWatch watch = new KeyFileWatch("device CA (forwarded certificates)", List.of(file), () -> {
            try {
                certificates.reloadDeviceCa();
                reloads.increment();
                log.info("device CA {} reloaded for forwarded client certificates", file);
            } catch (IllegalArgumentException e) {
                failures.increment();
                log.error("device CA {} refused, the CA in force stays: {}", file, e.getMessage());
            }
        });
        // The watch takes the file as it is now; a change between reading it at start and here is seen at the next
        // look only if its bytes differ from now, so read again once to close that window.
        certificates.reloadDeviceCa();
        watch.start(pollInterval);
        return new DeviceCaWatch(watch);
    }

    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
    }
}
