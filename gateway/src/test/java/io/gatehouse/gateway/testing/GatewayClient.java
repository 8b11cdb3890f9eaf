package io.gatehouse.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.testsupport.DevPki;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;

/**
 * An HTTPS client for the gateway under test: trusts the test CA, optionally presents a device certificate,
 * speaks HTTP/1.1 (or HTTP/2 with {@link #http2()}), and lets a test set any header, Host included. Blocking,
 * with a timeout: tests call it from the JUnit thread. {@link #raw(String)} writes bytes exactly as given.
 */
public final class GatewayClient {

    /** What came back; header names in lower case. */
    public record Response(int status, Map<String, List<String>> headers, String body, String protocol) {

        public @Nullable String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final DevPki pki;
    private final int port;
    private final DevPki.@Nullable Issued device;
    private final boolean http2;
    private final HttpClient client;

    private final @Nullable String localAddress;

    GatewayClient(DevPki pki, int port, DevPki.@Nullable Issued device, boolean http2) {
        this(pki, port, device, http2, null);
    }

    private GatewayClient(DevPki pki, int port, DevPki.@Nullable Issued device, boolean http2,
                          @Nullable String localAddress) {
        this.pki = pki;
        this.port = port;
        this.device = device;
        this.http2 = http2;
        this.localAddress = localAddress;
        SslContext ssl = nettySsl(pki, device, http2);
        HttpClient base = HttpClient.create()
                .host("127.0.0.1").port(port)
                .secure(spec -> spec.sslContext(ssl))
                .responseTimeout(TIMEOUT);
        if (localAddress != null) {
            base = base.bindAddress(() -> new java.net.InetSocketAddress(localAddress, 0));
        }
        this.client = http2 ? base.protocol(HttpProtocol.H2) : base.protocol(HttpProtocol.HTTP11);
    }

    /**
     * A client of another listener of the gateway on {@code port} (the decision service's), trusting {@code pki}'s
     * CA, presenting {@code certificate} when given, and connecting from the loopback address {@code localAddress}
     * (e.g. {@code 127.0.0.2}) when given.
     */
    public static GatewayClient listener(DevPki pki, int port, DevPki.@Nullable Issued certificate,
                                         @Nullable String localAddress) {
        return new GatewayClient(pki, port, certificate, false, localAddress);
    }

    /** The same client presenting {@code device}'s certificate. */
    public GatewayClient withDevice(DevPki.Issued device) {
        return new GatewayClient(pki, port, device, http2, localAddress);
    }

    /** The same client speaking HTTP/2 (ALPN h2). */
    public GatewayClient http2() {
        return new GatewayClient(pki, port, device, true, localAddress);
    }

    public Response get(String path) {
        return send("GET", path, Map.of(), null);
    }

    public Response get(String path, Map<String, String> headers) {
        return send("GET", path, headers, null);
    }

    /** Sends one request; {@code headers} may contain {@code Host}. Default Host is {@code localhost} (so a route {@code from: https://localhost} matches). */
    public Response send(String method, String path, Map<String, String> headers, @Nullable String body) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Host", "localhost");
        headers.forEach((k, v) -> {
            all.keySet().removeIf(existing -> existing.equalsIgnoreCase(k));
            all.put(k, v);
        });
        Response response = client
                .headers(h -> all.forEach(h::set))
                .request(HttpMethod.valueOf(method))
                .uri(path)
                .send(body == null ? ByteBufFlux.empty() : ByteBufFlux.fromString(reactor.core.publisher.Mono.just(body)))
                .responseSingle((res, content) -> content.asString(StandardCharsets.UTF_8).defaultIfEmpty("").map(text -> {
                    Map<String, List<String>> seen = new LinkedHashMap<>();
                    res.responseHeaders().forEach(e -> seen
                            .computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new java.util.ArrayList<>())
                            .add(e.getValue()));
                    return new Response(res.status().code(), seen, text, res.version().text());
                }))
                .block(TIMEOUT);
        if (response == null) {
            throw new AssertionError("no response for " + method + " " + path);
        }
        return response;
    }

    /**
     * Writes {@code request} (CRLFs included) over a fresh TLS connection, half-closes nothing, and reads until
     * the server closes or 5 s pass. For malformed requests that a well-behaved client library refuses to send.
     */
    public String raw(String request) {
        try (SSLSocket socket = (SSLSocket) jdkSsl(pki, device).getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    read.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException stillOpen) {
                // keep-alive: the server answered and kept the connection; what we read is the answer
            }
            return read.toString(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JDK SSLContext trusting the test CA and presenting {@code device} if given (for java.net.http or sockets). */
    public static SSLContext jdkSsl(DevPki pki, DevPki.@Nullable Issued device) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", pki.caCertificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (device != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("device", device.key(), DevPki.PASSWORD.toCharArray(),
                        new java.security.cert.Certificate[] {device.certificate()});
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, DevPki.PASSWORD.toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            javax.net.ssl.KeyManager[] managers = kmf == null ? null
                    : new javax.net.ssl.KeyManager[] {new AlwaysPresent((javax.net.ssl.X509KeyManager) kmf.getKeyManagers()[0])};
            context.init(managers, tmf.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the test SSLContext", e);
        }
    }

    /**
     * Presents the device certificate whatever CAs the server names, as an attacker's client would; the JDK's own
     * key manager would silently send nothing for a certificate from another CA.
     */
    private static final class AlwaysPresent extends javax.net.ssl.X509ExtendedKeyManager {
        private final javax.net.ssl.X509KeyManager delegate;

        AlwaysPresent(javax.net.ssl.X509KeyManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, java.net.Socket socket) {
            return "device";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, java.security.Principal[] issuers, javax.net.ssl.SSLEngine engine) {
            return "device";
        }

        @Override
        public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
            return new String[] {"device"};
        }

        @Override
        public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, java.security.Principal[] issuers, java.net.Socket socket) {
            return null;
        }

        @Override
        public java.security.cert.X509Certificate[] getCertificateChain(String alias) {
            return delegate.getCertificateChain(alias);
        }

        @Override
        public java.security.PrivateKey getPrivateKey(String alias) {
            return delegate.getPrivateKey(alias);
        }
    }

    private static SslContext nettySsl(DevPki pki, DevPki.@Nullable Issued device, boolean http2) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient().trustManager(pki.caCertificate());
            if (device != null) {
                builder.keyManager(device.key(), device.certificate());
            }
            if (http2) {
                builder.applicationProtocolConfig(new io.netty.handler.ssl.ApplicationProtocolConfig(
                        io.netty.handler.ssl.ApplicationProtocolConfig.Protocol.ALPN,
                        io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        "h2", "http/1.1"));
            }
            return builder.build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
