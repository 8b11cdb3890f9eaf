package io.gatehouse.policy.criteria;

import io.gatehouse.policy.DevicePosture;
import io.gatehouse.policy.Request;

/**
 * Base of the criteria under {@code device:}. No device presented fails with "no device presented, rule R
 * needs ..."; a failing check on a device that counts unknown carries the request's device notes (e.g. "device
 * inventory unreachable"), so the decision says why the device is unknown (docs/design.md, "Failure behaviour").
 */
abstract class DeviceCriterion implements Criterion {
    private final Match absent;

    /** {@code needs} completes "rule R needs ..." and is fixed at load time. */
    DeviceCriterion(String rule, String needs) {
        this.absent = Match.fails("device-missing", "no device presented, rule " + rule + " needs " + needs);
    }

    @Override
    public final Match evaluate(Request request) {
        DevicePosture device = request.device();
        if (device == null) {
            return absent.withNotes(request.deviceNotes());
        }
        Match match = evaluate(device, request);
        return match.holds() || device.known() ? match : match.withNotes(request.deviceNotes());
    }

    @Override
    public final boolean test(Request request) {
        DevicePosture device = request.device();
        return device != null && holds(device, request);
    }

    abstract boolean holds(DevicePosture device, Request request);

    abstract Match evaluate(DevicePosture device, Request request);
}
