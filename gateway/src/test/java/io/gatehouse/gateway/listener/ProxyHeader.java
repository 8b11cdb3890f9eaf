package io.gatehouse.gateway.listener;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/** PROXY protocol headers as a load balancer writes them (the spec: haproxy's proxy-protocol.txt), for the tests. */
final class ProxyHeader {

    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private ProxyHeader() {
    }

    /** A binary v2 header, command PROXY, TCP over IPv4, from {@code source}:{@code sourcePort} to 10.0.0.10:443. */
    static byte[] v2(String source, int sourcePort) {
        ByteBuffer header = ByteBuffer.allocate(16 + 12);
        header.put(V2_SIGNATURE);
        header.put((byte) 0x21); // version 2, PROXY
        header.put((byte) 0x11); // AF_INET, STREAM
        header.putShort((short) 12);
        header.put(ipv4(source));
        header.put(ipv4("10.0.0.10"));
        header.putShort((short) sourcePort);
        header.putShort((short) 443);
        return header.array();
    }

    /** A binary v2 header with command LOCAL (a load balancer's own health check): no addresses. */
    static byte[] v2Local() {
        ByteBuffer header = ByteBuffer.allocate(16);
        header.put(V2_SIGNATURE);
        header.put((byte) 0x20); // version 2, LOCAL
        header.put((byte) 0x00); // AF_UNSPEC
        header.putShort((short) 0);
        return header.array();
    }

    private static byte[] ipv4(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
