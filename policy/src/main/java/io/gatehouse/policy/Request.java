package io.gatehouse.policy;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The request the policy is asked about, in the shape of REQUEST.json (docs/design.md, "The policy CLI").
 * {@code identity} is null for an anonymous request, {@code device} is null when no device was presented,
 * {@code time} is the moment the decision is made for (the clock is an input, so evaluation is pure).
 * {@code deviceNotes} carry why a presented device counts as unknown (e.g. "device inventory unreachable"),
 * so that the decision's reasons can say it.
 */
public record Request(
        String method,
        URI url,
        String sourceIp,
        Instant time,
        @Nullable Identity identity,
        @Nullable DevicePosture device,
        List<Reason> deviceNotes) {

    public Request {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(sourceIp, "sourceIp");
        Objects.requireNonNull(time, "time");
        deviceNotes = List.copyOf(deviceNotes);
    }

    public Request(String method, URI url, String sourceIp, Instant time,
                   @Nullable Identity identity, @Nullable DevicePosture device) {
        this(method, url, sourceIp, time, identity, device, List.of());
    }
}
