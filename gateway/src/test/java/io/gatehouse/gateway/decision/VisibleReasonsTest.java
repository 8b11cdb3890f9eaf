package io.gatehouse.gateway.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.gateway.RequestContext;
import io.gatehouse.policy.Decision;
import io.gatehouse.policy.DevicePosture;
import io.gatehouse.policy.Identity;
import io.gatehouse.policy.Mode;
import io.gatehouse.policy.Outcome;
import io.gatehouse.policy.Reason;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a refused caller may read of the reasons: all when signed in, nothing of the policy when anonymous. */
class VisibleReasonsTest {

    private static final Decision DENIED = new Decision(Outcome.DENY, "payroll", null, Mode.ENFORCE, true, List.of(
            new Reason("no-allow-rule", "no allow rule matched"),
            new Reason("group-missing", "user is in groups [], rule admins needs one of [payroll-admins]"),
            new Reason("source-ip-not-allowed", "source ip is 127.0.0.1, rule vault needs one of [10.99.0.0/16]"),
            new Reason("cel-false", "cel expression identity.claims.dept == \"x\" is false, rule by-dept needs true"),
            new Reason("device-missing", "no device presented, rule laptops needs trust high"),
            new Reason("device-owner-mismatch", "device owner is pat@corp.example, user is nobody"),
            new Reason("device-trust-too-low", "device trust is untrusted, rule laptops needs high"),
            new Reason("device-not-enrolled", "device dev-9 is not enrolled")));

    private static RequestContext context() {
        return new RequestContext("r-1", 0);
    }

    @Test
    void visibleWhenSignedInThenEveryReason() {
        RequestContext signedIn = context();
        signedIn.authenticated(RequestContext.AuthKind.BEARER,
                new Identity("u-17", "pat@corp.example", List.of("staff"), Map.of(), null), null);

        assertThat(VisibleReasons.of(signedIn, DENIED)).hasSize(DENIED.reasons().size());
    }

    @Test
    void visibleWhenAnonymousWithoutDeviceThenNothing() {
        assertThat(VisibleReasons.of(context(), DENIED)).isEmpty();
    }

    @Test
    void visibleWhenAnonymousWithDeviceThenOnlyWhatConcernsThatDevice() {
        RequestContext withDevice = context();
        withDevice.device("ab".repeat(32), DevicePosture.unknown("dev-9", "not enrolled"), null);

        assertThat(VisibleReasons.of(withDevice, DENIED)).containsExactly(
                "device trust is untrusted, rule laptops needs high", "device dev-9 is not enrolled");
    }
}
