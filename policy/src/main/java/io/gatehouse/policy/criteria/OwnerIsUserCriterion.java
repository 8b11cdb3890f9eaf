package io.gatehouse.policy.criteria;

import io.gatehouse.policy.DevicePosture;
import io.gatehouse.policy.Identity;
import io.gatehouse.policy.Request;
import io.gatehouse.policy.parse.Nodes;
import io.gatehouse.policy.parse.ParseContext;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Key {@code device: {owner_is_user: true}}: the device's registered owner is the requesting user (owner
 * compared with the user's email, ASCII letters ignoring case, see {@link AsciiFold}). {@code false} holds when they
 * differ (a shared kiosk). An anonymous request or a device without owner never counts as the user's own, and
 * neither does a user whose email the IdP did not verify ({@link Identity#emailVerified()}): such an email says
 * nothing about who the user is, so {@code true} fails and {@code false} holds, as for a user without email (a
 * deny rule on {@code owner_is_user: false} still fires).
 */
public final class OwnerIsUserCriterion extends DeviceCriterion {
    private final boolean wanted;
    private final String rule;

    private OwnerIsUserCriterion(boolean wanted, String rule) {
        super(rule, wanted ? "a device owned by the user" : "a device not owned by the user");
        this.wanted = wanted;
        this.rule = rule;
    }

    public static @Nullable Criterion parse(Node node, ParseContext c) {
        Boolean value = Nodes.bool(node, c);
        return value == null ? null : new OwnerIsUserCriterion(value, c.rule());
    }

    @Override
    boolean holds(DevicePosture device, Request request) {
        Identity identity = request.identity();
        String user = identity == null ? null : identity.verifiedEmail();
        boolean same = user != null && device.owner() != null && AsciiFold.equalsIgnoreCase(device.owner(), user);
        return same == wanted;
    }

    @Override
    Match evaluate(DevicePosture device, Request request) {
        Identity identity = request.identity();
        String user = identity == null ? null : identity.email();
        String owner = device.owner();
        if (identity != null && user != null && !identity.emailVerified()) {
            String unverified = "email " + user + " is not verified by the IdP";
            return wanted ? Match.fails("email-unverified", unverified + ", rule " + rule + " needs the device owner")
                    : Match.holds("device-owner", "device owner " + (owner == null ? "unknown" : owner)
                    + " is not the user (" + unverified + ")");
        }
        boolean same = user != null && owner != null && AsciiFold.equalsIgnoreCase(owner, user);
        String ownerText = owner == null ? "unknown" : owner;
        String userText = user == null ? (identity == null ? "anonymous" : identity.sub()) : user;
        if (same == wanted) {
            return Match.holds("device-owner", "device owner " + ownerText + " " + (same ? "is" : "is not")
                    + " the user " + userText);
        }
        return Match.fails("device-owner-mismatch", "device owner is " + ownerText + ", user is " + userText
                + ", rule " + rule + " needs " + (wanted ? "the same" : "a different one"));
    }

    @Override
    public String describe() {
        return wanted ? "the device is owned by the signed-in user" : "the device is not owned by the signed-in user";
    }
}
