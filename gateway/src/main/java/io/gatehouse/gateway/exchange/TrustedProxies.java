package io.gatehouse.gateway.exchange;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The set of trusted front proxies, parsed once from {@link TrustedProxyProperties}. A bad CIDR fails at startup
 * with its value, never silently trusting or ignoring it. Only literal addresses are accepted (no DNS lookups).
 * Thread-safe and immutable.
 */
public final class TrustedProxies {

    private record Cidr(byte[] network, int prefix, String text) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Cidr> ranges;

    public TrustedProxies(List<String> cidrs) {
        this(cidrs, "gatehouse.trusted-proxies");
    }

    /** As {@link #TrustedProxies(List)}; a bad CIDR's error names {@code key} (the property it came from). */
    public TrustedProxies(List<String> cidrs, String key) {
        List<Cidr> parsed = new ArrayList<>();
        for (String cidr : cidrs) {
            parsed.add(parse(cidr.trim(), key));
        }
        this.ranges = List.copyOf(parsed);
    }

    public static TrustedProxies none() {
        return new TrustedProxies(List.of());
    }

    /** True when the peer (the TCP source of this connection) is one of the trusted front proxies. */
    public boolean trusts(@Nullable InetSocketAddress peer) {
        if (peer == null || peer.getAddress() == null || ranges.isEmpty()) {
            return false;
        }
        byte[] address = peer.getAddress().getAddress();
        return ranges.stream().anyMatch(r -> r.contains(address));
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    private static Cidr parse(String text, String key) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        if (!address.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
            throw new IllegalArgumentException(key + ": \"" + text
                    + "\" is not a CIDR; expected an IP address with an optional /prefix, e.g. 10.0.0.0/8");
        }
        byte[] network;
        try {
            network = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(key + ": \"" + text + "\" is not an IP address", e);
        }
        int max = network.length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? max : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException(key + ": \"" + text
                    + "\" has a bad prefix length; expected 0.." + max);
        }
        return new Cidr(network, prefix, text);
    }
}
