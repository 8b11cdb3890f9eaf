package io.gatehouse.policy.criteria;

/**
 * An address range, {@code 10.20.0.0/16} or {@code 2001:db8::/32}, held as network bytes and a byte mask
 * computed at load time; {@link #contains(byte[])} is a few AND operations. A bare address is a /32 or /128.
 * A range with host bits set ({@code 10.20.1.0/16}) is refused: it usually hides a typo.
 */
public final class Cidr {
    private final String text;
    private final byte[] network;
    private final byte[] mask;

    private Cidr(String text, byte[] network, byte[] mask) {
        this.text = text;
        this.network = network;
        this.mask = mask;
    }

    /** Parses {@code text}; throws {@link IllegalArgumentException} with a message fit for a load error. */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        byte[] address = IpAddress.parse(addressText);
        if (address == null) {
            throw new IllegalArgumentException("\"" + text
                    + "\" is not a CIDR range like 10.20.0.0/16 or 2001:db8::/32");
        }
        int bits = address.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = text.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                throw new IllegalArgumentException("\"" + text + "\" has a bad prefix length; expected /0 to /" + bits);
            }
            prefix = Integer.parseInt(p);
            if (address.length == 4 && addressText.indexOf(':') >= 0) {
                prefix -= 96; // ::ffff:a.b.c.d/104 is the v4 range a.b.c.d/8
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("\"" + text + "\" has a bad prefix length; expected /0 to /" + bits);
            }
        }
        byte[] mask = new byte[address.length];
        for (int i = 0; i < mask.length; i++) {
            int left = Math.max(0, Math.min(8, prefix - i * 8));
            mask[i] = (byte) (0xff << (8 - left));
        }
        byte[] network = new byte[address.length];
        boolean hostBits = false;
        for (int i = 0; i < address.length; i++) {
            network[i] = (byte) (address[i] & mask[i]);
            hostBits |= network[i] != address[i];
        }
        if (hostBits) {
            throw new IllegalArgumentException("\"" + text + "\" has host bits set; did you mean "
                    + format(network) + "/" + prefix + "?");
        }
        return new Cidr(text, network, mask);
    }

    /** True when {@code address} (4 or 16 bytes, from {@link IpAddress#parse}) lies in this range. */
    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        for (int i = 0; i < address.length; i++) {
            if ((address[i] & mask[i]) != network[i]) {
                return false;
            }
        }
        return true;
    }

    static String format(byte[] a) {
        if (a.length == 4) {
            return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i += 2) {
            sb.append(i == 0 ? "" : ":").append(Integer.toHexString(((a[i] & 0xff) << 8) | (a[i + 1] & 0xff)));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
