package io.gatehouse.policy.criteria;

import io.gatehouse.policy.DevicePosture;
import io.gatehouse.policy.Request;
import io.gatehouse.policy.parse.Nodes;
import io.gatehouse.policy.parse.ParseContext;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The four yes/no keys under {@code device:} — {@code known}, {@code managed}, {@code disk_encrypted},
 * {@code screen_lock} — share one class because they differ only in which posture field they read; each key is
 * one {@link Flag}. The reason names the key as written: "device disk_encrypted is false, rule R needs true".
 */
public final class DeviceFlagCriterion extends DeviceCriterion {

    /** The posture fields a flag key reads, by YAML key. */
    public enum Flag {
        KNOWN("known", DevicePosture::known),
        MANAGED("managed", DevicePosture::managed),
        DISK_ENCRYPTED("disk_encrypted", DevicePosture::diskEncrypted),
        SCREEN_LOCK("screen_lock", DevicePosture::screenLock);

        private final String key;
        private final Predicate<DevicePosture> read;

        Flag(String key, Predicate<DevicePosture> read) {
            this.key = key;
            this.read = read;
        }

        public String key() {
            return key;
        }
    }

    private final Flag flag;
    private final boolean wanted;
    private final Match holds;
    private final Match fails;

    private DeviceFlagCriterion(Flag flag, boolean wanted, String rule) {
        super(rule, "device " + flag.key + " " + wanted);
        this.flag = flag;
        this.wanted = wanted;
        String code = "device-" + flag.key.replace('_', '-');
        this.holds = Match.holds(code, "device " + flag.key + " is " + wanted);
        this.fails = Match.fails(code + "-mismatch", "device " + flag.key + " is " + !wanted + ", rule " + rule
                + " needs " + wanted);
    }

    public static @Nullable Criterion parse(Flag flag, Node node, ParseContext c) {
        Boolean value = Nodes.bool(node, c);
        return value == null ? null : new DeviceFlagCriterion(flag, value, c.rule());
    }

    @Override
    boolean holds(DevicePosture device, Request request) {
        return flag.read.test(device) == wanted;
    }

    @Override
    Match evaluate(DevicePosture device, Request request) {
        return flag.read.test(device) == wanted ? holds : fails;
    }

    @Override
    public String describe() {
        return "the device " + (wanted ? "is " : "is not ") + flag.key().replace('_', ' ')
                + (flag == Flag.KNOWN ? " to the device inventory" : "");
    }
}
