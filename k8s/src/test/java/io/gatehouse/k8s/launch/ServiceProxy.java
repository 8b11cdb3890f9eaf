package io.gatehouse.k8s.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What kube-proxy does for one Service port: connections to the Service's address and port (its "cluster IP", a
 * loopback address here, named in the launch's hosts file) are forwarded to the pod's address and target port.
 * Plain TCP both ways, so TLS and HTTP/2 pass through untouched.
 *
 * <p>With an {@link Nlb}, it is what an AWS NLB with IP targets and PROXY protocol v2 does instead: it connects to the
 * pod from its own address (the NLB's private address in its subnet) and writes a binary PROXY v2 header naming the
 * client before the client's first byte. Every client here is on loopback, so the header names a chosen client
 * address, as if the connection had come from the internet.
 */
final class ServiceProxy implements AutoCloseable {

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "service-proxy");
        t.setDaemon(true);
        return t;
    });

    private final Nlb nlb;
    private final InetSocketAddress listening;

    /**
     * An NLB in front of the pod: connections to the pod come from {@code sourceAddress} and start with a PROXY v2
     * header whose source is {@code clientAddress} (IPv4) and whose destination is the Service's address and port.
     */
    record Nlb(String sourceAddress, String clientAddress) {
    }

    ServiceProxy(String serviceAddress, int port, String podAddress, int targetPort) {
        this(serviceAddress, port, podAddress, targetPort, null);
    }

    ServiceProxy(String serviceAddress, int port, String podAddress, int targetPort, Nlb nlb) {
        this.nlb = nlb;
        this.listening = new InetSocketAddress(serviceAddress, port);
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName(serviceAddress), port), 50);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + serviceAddress + ":" + port, e);
        }
        threads.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    threads.execute(() -> forward(client, podAddress, targetPort));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private void forward(Socket client, String podAddress, int targetPort) {
        try (client; Socket pod = nlb == null ? new Socket(podAddress, targetPort) : new Socket(
                InetAddress.getByName(podAddress), targetPort, InetAddress.getByName(nlb.sourceAddress()), 0)) {
            if (nlb != null) {
                pod.getOutputStream().write(proxyV2Header(client.getPort()));
            }
            var back = threads.submit(() -> pump(pod.getInputStream(), client.getOutputStream(), client));
            pump(client.getInputStream(), pod.getOutputStream(), pod);
            back.get();
        } catch (Exception e) {
            // A refused pod port is a connection reset for the client, as with kube-proxy.
        }
    }

    /** PROXY protocol v2, PROXY command, TCP over IPv4 (haproxy's proxy-protocol.txt, section 2.2). */
    private byte[] proxyV2Header(int clientPort) throws IOException {
        byte[] source = InetAddress.getByName(nlb.clientAddress()).getAddress();
        byte[] destination = listening.getAddress().getAddress();
        if (source.length != 4 || destination.length != 4) {
            throw new IOException("the NLB stand-in writes IPv4 headers only");
        }
        java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(16 + 12);
        header.put(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        header.put((byte) 0x21);              // version 2, PROXY
        header.put((byte) 0x11);              // AF_INET, STREAM
        header.putShort((short) 12);          // addresses and ports
        header.put(source).put(destination);
        header.putShort((short) clientPort).putShort((short) listening.getPort());
        return header.array();
    }

    private static Void pump(InputStream in, OutputStream out, Socket to) throws IOException {
        byte[] buffer = new byte[16384];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } finally {
            if (!to.isClosed()) {
                to.shutdownOutput();
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        threads.shutdownNow();
    }
}
