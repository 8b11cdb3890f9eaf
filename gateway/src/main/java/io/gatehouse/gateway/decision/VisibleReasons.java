package io.gatehouse.gateway.decision;

import io.gatehouse.gateway.RequestContext;
import io.gatehouse.policy.Decision;
import io.gatehouse.policy.Reason;
import java.util.List;

/**
 * Which of a refusal's reasons the caller may read (issue 16, item 13). Reasons describe the policy: the groups,
 * emails, CIDRs, paths and CEL a rule needs. A signed-in caller reads them all, as the deny page promises. A caller
 * nobody signed in learns only that it must authenticate: from a deny it could learn whom to phish and where to
 * stand. The one exception is a caller that presented a device certificate: it still reads what concerns that device
 * (codes {@code device-*}: not enrolled, trust too low, disk not encrypted, inventory unreachable), so a managed
 * laptop can be fixed, but never a line that names a device owner or what a missing device would need. The
 * decision log always keeps every reason. Remedies (a rule's {@code remedy:}) follow the same line: shown to a
 * signed-in caller and to one that presented a device, never to a caller with neither.
 */
final class VisibleReasons {

    private static final String DEVICE = "device-";

    private VisibleReasons() {
    }

    /** The reason lines for the answer to this caller; empty when nothing may be shown. */
    static List<String> of(RequestContext context, Decision decision) {
        if (context.identity() != null) {
            return decision.reasons().stream().map(Reason::text).toList();
        }
        if (context.device() == null) {
            return List.of();
        }
        return decision.reasons().stream().filter(VisibleReasons::aboutThePresentedDevice).map(Reason::text).toList();
    }

    /** The remedies for the answer to this caller; empty when nothing may be shown. */
    static List<String> remedies(RequestContext context, Decision decision) {
        return context.identity() != null || context.device() != null ? decision.remedies() : List.of();
    }

    private static boolean aboutThePresentedDevice(Reason reason) {
        String code = reason.code();
        return code.startsWith(DEVICE) && !code.equals("device-missing") && !code.startsWith("device-owner");
    }
}
