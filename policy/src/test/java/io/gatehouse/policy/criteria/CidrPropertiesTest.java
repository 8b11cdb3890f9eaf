package io.gatehouse.policy.criteria;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** CIDR membership against integer arithmetic, for IPv4 and IPv6, on generated addresses and prefixes. */
class CidrPropertiesTest {

    @Property(tries = 2000)
    void v4ContainsExactlyTheAddressesSharingThePrefix(@ForAll int network, @ForAll int address,
                                                       @ForAll @IntRange(min = 0, max = 32) int prefix) {
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        Cidr cidr = Cidr.parse(v4(network & mask) + "/" + prefix);
        boolean expected = (address & mask) == (network & mask);
        assertThat(cidr.contains(IpAddress.parse(v4(address)))).isEqualTo(expected);
        assertThat(cidr.contains(IpAddress.parse(v4(network & mask)))).isTrue();
    }

    @Property(tries = 1000)
    void v6ContainsExactlyTheAddressesSharingThePrefix(@ForAll long netHigh, @ForAll long netLow, @ForAll long addrHigh,
                                                       @ForAll long addrLow, @ForAll @IntRange(min = 0, max = 128) int prefix,
                                                       @ForAll boolean near) throws UnknownHostException {
        BigInteger all = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
        BigInteger mask = all.shiftRight(128 - prefix).shiftLeft(128 - prefix);
        BigInteger network = unsigned(netHigh, netLow).and(mask);
        // half of the tries pick an address inside the range, so both answers are exercised at every prefix
        BigInteger address = near ? network.or(unsigned(addrHigh, addrLow).andNot(mask)) : unsigned(addrHigh, addrLow);
        Cidr cidr = Cidr.parse(v6(network) + "/" + prefix);
        byte[] parsed = IpAddress.parse(v6(address));
        boolean mapped = parsed.length == 4;
        boolean expected = address.and(mask).equals(network);
        if (!mapped) {
            assertThat(cidr.contains(parsed)).as("%s in %s", v6(address), cidr).isEqualTo(expected);
        }
    }

    @Property(tries = 1000)
    void v4ParsesLikeTheJdkForLiterals(@ForAll int address) throws UnknownHostException {
        assertThat(IpAddress.parse(v4(address))).isEqualTo(InetAddress.getByName(v4(address)).getAddress());
    }

    @Property(tries = 200)
    void hostBitsAreRefused(@ForAll @IntRange(min = 0, max = 31) int prefix, @ForAll int network) {
        int hostBit = 1 << (31 - prefix);
        int withHostBit = (network & (prefix == 0 ? 0 : -1 << (32 - prefix))) | hostBit;
        assertThatThrownBy(() -> Cidr.parse(v4(withHostBit) + "/" + prefix)).hasMessageContaining("host bits");
    }

    private static String v4(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }

    private static BigInteger unsigned(long high, long low) {
        return new BigInteger(1, java.nio.ByteBuffer.allocate(16).putLong(high).putLong(low).array());
    }

    private static String v6(BigInteger value) throws UnknownHostException {
        byte[] raw = value.toByteArray();
        byte[] bytes = new byte[16];
        int copy = Math.min(16, raw.length);
        System.arraycopy(raw, raw.length - copy, bytes, 16 - copy, copy);
        return InetAddress.getByAddress(bytes).getHostAddress();
    }
}
