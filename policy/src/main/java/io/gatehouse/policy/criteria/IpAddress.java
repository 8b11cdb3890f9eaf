package io.gatehouse.policy.criteria;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Parses IP address literals into bytes without ever touching DNS ({@code InetAddress.getByName} would resolve a
 * name). IPv4 is strict dotted quad (no leading zeros, which some parsers read as octal); IPv6 allows {@code ::}
 * and a trailing dotted quad. An IPv4-mapped IPv6 address ({@code ::ffff:10.0.0.1}) becomes its 4 IPv4 bytes, so
 * a v4 range also covers a client reached over a dual-stack socket.
 */
public final class IpAddress {
    private IpAddress() {
    }

    /** 4 or 16 bytes, or null when {@code text} is not an IP literal. */
    public static byte @Nullable [] parse(String text) {
        if (text.indexOf(':') < 0) {
            return parseV4(text);
        }
        byte[] v6 = parseV6(text);
        if (v6 != null && isMapped(v6)) {
            return Arrays.copyOfRange(v6, 12, 16);
        }
        return v6;
    }

    static boolean isMapped(byte[] v6) {
        for (int i = 0; i < 10; i++) {
            if (v6[i] != 0) {
                return false;
            }
        }
        return v6[10] == (byte) 0xff && v6[11] == (byte) 0xff;
    }

    static byte @Nullable [] parseV4(String text) {
        byte[] out = new byte[4];
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= text.length(); i++) {
            char ch = i == text.length() ? '.' : text.charAt(i);
            if (ch == '.') {
                if (digits == 0 || part == 4) {
                    return null;
                }
                out[part++] = (byte) value;
                value = 0;
                digits = 0;
            } else if (ch >= '0' && ch <= '9' && digits < 3 && !(digits == 1 && value == 0)) {
                value = value * 10 + (ch - '0');
                digits++;
                if (value > 255) {
                    return null;
                }
            } else {
                return null; // not a digit, a fourth digit, or a leading zero (some parsers read 010 as octal)
            }
        }
        return part == 4 ? out : null;
    }

    static byte @Nullable [] parseV6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        List<Integer> head = groups(gap >= 0 ? text.substring(0, gap) : text, gap < 0);
        List<Integer> tail = gap >= 0 ? groups(text.substring(gap + 2), true) : List.of();
        if (head == null || tail == null) {
            return null;
        }
        int total = head.size() + tail.size();
        if (gap >= 0 ? total > 7 : total != 8) {
            return null;
        }
        byte[] out = new byte[16];
        for (int i = 0; i < head.size(); i++) {
            put(out, i, head.get(i));
        }
        for (int i = 0; i < tail.size(); i++) {
            put(out, 8 - tail.size() + i, tail.get(i));
        }
        return out;
    }

    private static void put(byte[] out, int group, int value) {
        out[group * 2] = (byte) (value >>> 8);
        out[group * 2 + 1] = (byte) value;
    }

    private static @Nullable List<Integer> groups(String text, boolean v4LastAllowed) {
        List<Integer> out = new ArrayList<>();
        if (text.isEmpty()) {
            return out;
        }
        String[] parts = text.split(":", -1);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.indexOf('.') >= 0 && i == parts.length - 1 && v4LastAllowed) {
                byte[] v4 = parseV4(p);
                if (v4 == null) {
                    return null;
                }
                out.add(((v4[0] & 0xff) << 8) | (v4[1] & 0xff));
                out.add(((v4[2] & 0xff) << 8) | (v4[3] & 0xff));
            } else if (p.length() >= 1 && p.length() <= 4 && p.chars().allMatch(IpAddress::isHex)) {
                out.add(Integer.parseInt(p, 16));
            } else {
                return null;
            }
        }
        return out;
    }

    private static boolean isHex(int ch) {
        return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
    }
}
