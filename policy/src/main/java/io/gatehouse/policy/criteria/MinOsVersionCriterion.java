package io.gatehouse.policy.criteria;

import io.gatehouse.policy.DevicePosture;
import io.gatehouse.policy.Request;
import io.gatehouse.policy.parse.Nodes;
import io.gatehouse.policy.parse.ParseContext;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;

/**
 * Key {@code device: {min_os_version: {macOS: "15.2"}}}: the device runs one of the named OSes (case-insensitive)
 * at or above its minimum. Versions compare numerically segment by segment, missing segments count 0
 * ({@code 15.10 > 15.2}, {@code 15.2 == 15.2.0}). A device on an OS the map does not name fails (fail closed).
 */
public final class MinOsVersionCriterion extends DeviceCriterion {
    private final Map<String, int[]> minimums;
    private final Map<String, String> written;
    private final String listed;
    private final String rule;

    private MinOsVersionCriterion(Map<String, int[]> minimums, Map<String, String> written, String rule) {
        super(rule, "os version at least " + written.values());
        this.minimums = minimums;
        this.written = written;
        this.listed = written.values().toString();
        this.rule = rule;
    }

    public static @Nullable Criterion parse(Node node, ParseContext c) {
        if (!(node instanceof MappingNode map) || map.getValue().isEmpty()) {
            c.error(node, "expected a mapping of os name to minimum version, e.g. {macOS: \"15.2\"}, found %s",
                    Nodes.describe(node));
            return null;
        }
        Map<String, int[]> minimums = new LinkedHashMap<>();
        Map<String, String> written = new LinkedHashMap<>();
        boolean ok = true;
        for (NodeTuple t : map.getValue()) {
            String os = Nodes.string(t.getKeyNode(), c);
            String version = os == null ? null : Nodes.string(t.getValueNode(), c.key(os));
            int[] parsed = version == null ? null : parseVersion(version);
            if (version != null && parsed == null) {
                c.key(os).error(t.getValueNode(), "\"%s\" is not a version like 15.2 (numbers separated by dots)",
                        version);
            }
            if (parsed == null) {
                ok = false;
                continue;
            }
            minimums.put(os.toLowerCase(Locale.ROOT), parsed);
            written.put(os.toLowerCase(Locale.ROOT), os + " " + version);
        }
        return ok ? new MinOsVersionCriterion(Map.copyOf(minimums), written, c.rule()) : null;
    }

    /** Parses {@code 15.2.1} into its numbers; null when it is not digits separated by single dots. */
    public static int @Nullable [] parseVersion(String text) {
        int segments = 1;
        for (int i = 0; i < text.length(); i++) {
            segments += text.charAt(i) == '.' ? 1 : 0;
        }
        int[] out = new int[segments];
        int segment = 0;
        int digits = 0;
        for (int i = 0; i <= text.length(); i++) {
            char ch = i == text.length() ? '.' : text.charAt(i);
            if (ch == '.') {
                if (digits == 0) {
                    return null;
                }
                segment++;
                digits = 0;
            } else if (ch >= '0' && ch <= '9' && digits < 9) {
                out[segment] = out[segment] * 10 + (ch - '0');
                digits++;
            } else {
                return null;
            }
        }
        return out;
    }

    /** Segment-by-segment numeric comparison, missing segments counting 0. */
    public static int compare(int[] a, int[] b) {
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            int x = i < a.length ? a[i] : 0;
            int y = i < b.length ? b[i] : 0;
            if (x != y) {
                return Integer.compare(x, y);
            }
        }
        return 0;
    }

    @Override
    boolean holds(DevicePosture device, Request request) {
        String os = device.os();
        int[] min = os == null ? null : minimums.get(os.toLowerCase(Locale.ROOT));
        int[] have = min == null || device.osVersion() == null ? null : parseVersion(device.osVersion());
        return have != null && compare(have, min) >= 0;
    }

    @Override
    Match evaluate(DevicePosture device, Request request) {
        String os = device.os();
        int[] min = os == null ? null : minimums.get(os.toLowerCase(Locale.ROOT));
        if (min == null) {
            return Match.fails("device-os-not-allowed", "device os is " + (os == null ? "unknown" : os) + ", rule "
                    + rule + " needs one of " + listed);
        }
        String need = written.get(os.toLowerCase(Locale.ROOT));
        String version = device.osVersion();
        int[] have = version == null ? null : parseVersion(version);
        if (have == null) {
            return Match.fails("device-os-version-unknown", "device " + os + " version is "
                    + (version == null ? "unknown" : "\"" + version + "\"") + ", rule " + rule + " needs at least "
                    + need);
        }
        return compare(have, min) >= 0
                ? Match.holds("device-os-version", "device " + os + " version " + version + " is at least " + need)
                : Match.fails("device-os-too-old", "device " + os + " version is " + version + ", rule " + rule
                + " needs at least " + need);
    }

    @Override
    public String describe() {
        return "the device's OS version is at least " + Phrases.pairs(written);
    }
}
