package io.gatehouse.gateway.listener;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code gatehouse.listener.proxy-protocol.*}: PROXY protocol (v1 text or v2 binary, as an AWS NLB sends it) on the
 * public listener. Empty (the default): off, every connection speaks TLS from its first byte and is judged by its
 * socket address. Not empty: a connection from one of these addresses must start with a PROXY header, whose source
 * address becomes the client's address for hygiene, the policy ({@code source_ips}, CEL {@code request.source_ip})
 * and the decision log; a connection from any other address is closed before TLS. A bad entry fails startup with
 * its value (no DNS names: only literal addresses).
 *
 * @param trustedAddresses CIDRs (IPv4 or IPv6; a bare address is /32 or /128) of the load balancers allowed to send a
 *                         PROXY header; empty (default) turns PROXY protocol off
 */
@ConfigurationProperties("gatehouse.listener.proxy-protocol")
public record ProxyProtocolProperties(@Nullable List<String> trustedAddresses) {

    private static final String KEY = "gatehouse.listener.proxy-protocol.trusted-addresses";

    public ProxyProtocolProperties {
        trustedAddresses = trustedAddresses == null ? List.of() : List.copyOf(trustedAddresses);
        rules(trustedAddresses);
    }

    /** Whether PROXY protocol is on: some address is trusted to send the header. */
    public boolean enabled() {
        return !trustedAddresses().isEmpty();
    }

    /** The trusted ranges as Netty rules, checked: a literal address, a prefix in range, no host bits set. */
    List<IpSubnetFilterRule> rules() {
        return rules(trustedAddresses());
    }

    private static List<IpSubnetFilterRule> rules(List<String> entries) {
        List<IpSubnetFilterRule> rules = new ArrayList<>();
        for (String entry : entries) {
            rules.add(rule(entry == null ? "" : entry.trim()));
        }
        return List.copyOf(rules);
    }

    private static IpSubnetFilterRule rule(String text) {
        int slash = text.indexOf('/');
        String literal = slash < 0 ? text : text.substring(0, slash);
        byte[] network = NetUtil.createByteArrayFromIpAddressString(literal);
        if (network == null) {
            throw new IllegalArgumentException(KEY + ": \"" + text + "\" is not a CIDR; expected an IP address with"
                    + " an optional /prefix, e.g. 10.0.0.0/24 or 2001:db8::/64");
        }
        int max = network.length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? max : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException(KEY + ": \"" + text + "\" has a bad prefix length; expected 0.." + max);
        }
        for (int bit = prefix; bit < max; bit++) {
            if ((network[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                throw new IllegalArgumentException(KEY + ": \"" + text + "\" has host bits set after /" + prefix
                        + "; write the network address");
            }
        }
        try {
            return new IpSubnetFilterRule(InetAddress.getByAddress(network), prefix, IpFilterRuleType.ACCEPT);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(KEY + ": \"" + text + "\" is not an IP address", e);
        }
    }
}
