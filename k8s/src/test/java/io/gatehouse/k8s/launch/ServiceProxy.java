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
 */
final class ServiceProxy implements AutoCloseable {

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "service-proxy");
        t.setDaemon(true);
        return t;
    });

    ServiceProxy(String serviceAddress, int port, String podAddress, int targetPort) {
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
        try (client; Socket pod = new Socket(podAddress, targetPort)) {
            var back = threads.submit(() -> pump(pod.getInputStream(), client.getOutputStream(), client));
            pump(client.getInputStream(), pod.getOutputStream(), pod);
            back.get();
        } catch (Exception e) {
            // A refused pod port is a connection reset for the client, as with kube-proxy.
        }
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
