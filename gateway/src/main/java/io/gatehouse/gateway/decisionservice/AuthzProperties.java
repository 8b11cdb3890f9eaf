package io.gatehouse.gateway.decisionservice;

import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * {@code gatehouse.authz.*}: the decision service's listeners (docs/decision-service.md, docs/configuration.md
 * "Decision service"). Each listener is off until its port is set; both bind {@code address} (default
 * 127.0.0.1). A listener that is on needs at least one trusted caller: a decision service that
 * trusts nobody would refuse everyone, so startup fails instead. TLS is on unless {@code tls.enabled=false}; its
 * certificate and key are {@code tls.certificate}/{@code tls.private-key} (PEM), else the public listener's
 * {@code server.ssl.*}. When any caller is identified by certificate ({@code san}), {@code client-ca} is required
 * and client certificates are required on the listener; without TLS only {@code cidrs} can identify a caller.
 *
 * @param address  the bind address of both listeners (default 127.0.0.1)
 * @param callers  the proxies trusted to describe requests; each by {@code cidrs} or by {@code san}
 * @param clientCa PEM file of the CA that issues the callers' client certificates
 * @param tls      the listeners' TLS
 * @param http     the HTTP forward-auth listener
 * @param grpc     the Envoy gRPC ext_authz listener
 */
@ConfigurationProperties("gatehouse.authz")
public record AuthzProperties(@Nullable String address, List<TrustedCaller> callers, @Nullable String clientCa,
                              Tls tls, Http http, Grpc grpc) {

    public static final String DEFAULT_ADDRESS = "127.0.0.1";

    @ConstructorBinding
    public AuthzProperties {
        address = address == null || address.isBlank() ? DEFAULT_ADDRESS : address.trim();
        callers = callers == null ? List.of() : List.copyOf(callers);
        clientCa = clientCa == null || clientCa.isBlank() ? null : clientCa.trim();
        tls = tls == null ? new Tls(null, null, null) : tls;
        http = http == null ? new Http(null) : http;
        grpc = grpc == null ? new Grpc(null) : grpc;
        for (int i = 0; i < callers.size(); i++) {
            TrustedCaller caller = callers.get(i);
            if (caller.cidrs().isEmpty() == caller.san().isEmpty()) {
                throw new IllegalArgumentException("gatehouse.authz.callers[" + i + "]: set exactly one of cidrs"
                        + " (trusted by source address) and san (trusted by client certificate)");
            }
        }
        boolean bySan = callers.stream().anyMatch(c -> !c.san().isEmpty());
        if (bySan && clientCa == null) {
            throw new IllegalArgumentException("gatehouse.authz.client-ca is required when a caller is trusted by"
                    + " san: it names the CA the callers' client certificates must chain to");
        }
        if (bySan && !tls.on()) {
            throw new IllegalArgumentException("gatehouse.authz.tls.enabled=false leaves only cidrs to identify a"
                    + " caller: a caller trusted by san needs TLS");
        }
        if ((http.port() != null || grpc.port() != null) && callers.isEmpty()) {
            throw new IllegalArgumentException("gatehouse.authz.callers is empty: a decision service that trusts"
                    + " nobody refuses everyone; name the proxies (cidrs or san) or unset gatehouse.authz.*.port");
        }
    }

    /** Whether any caller is identified by its client certificate (then client certificates are required). */
    public boolean certificateCallers() {
        return callers.stream().anyMatch(c -> !c.san().isEmpty());
    }

    /**
     * One trusted proxy ({@code gatehouse.authz.callers[i].*}): by source address or by certificate, not both.
     *
     * @param name  a label for logs (default: the first CIDR or SAN)
     * @param cidrs source addresses (CIDR or single address) the proxy connects from
     * @param san   URI or DNS subject alternative names of the proxy's client certificate (compared exactly; DNS
     *              names ignoring ASCII case)
     */
    public record TrustedCaller(@Nullable String name, List<String> cidrs, List<String> san) {
        public TrustedCaller {
            cidrs = cidrs == null ? List.of() : cidrs.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
            san = san == null ? List.of() : san.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
            name = name == null || name.isBlank()
                    ? (cidrs.isEmpty() ? (san.isEmpty() ? "caller" : san.get(0)) : cidrs.get(0)) : name.trim();
        }
    }

    /**
     * {@code gatehouse.authz.tls.*}.
     *
     * @param enabled     TLS on the decision listeners (default true); false only behind a mesh sidecar that
     *                    terminates mTLS (Istio), and then callers by cidrs only
     * @param certificate PEM certificate (chain) of the listeners (default {@code server.ssl.certificate})
     * @param privateKey  PEM private key of the listeners (default {@code server.ssl.certificate-private-key})
     */
    public record Tls(@Nullable Boolean enabled, @Nullable String certificate, @Nullable String privateKey) {
        public Tls {
            enabled = enabled == null || enabled;
            if ((certificate == null || certificate.isBlank()) != (privateKey == null || privateKey.isBlank())) {
                throw new IllegalArgumentException("gatehouse.authz.tls.certificate and"
                        + " gatehouse.authz.tls.private-key are set together or not at all");
            }
        }

        /** TLS is on (the default). */
        public boolean on() {
            return enabled == null || enabled;
        }
    }

    /**
     * {@code gatehouse.authz.http.*}.
     *
     * @param port the HTTP forward-auth listener's port (unset: off); must differ from every other port
     */
    public record Http(@Nullable Integer port) {
        public Http {
            checkPort("http", port);
        }
    }

    /**
     * {@code gatehouse.authz.grpc.*}.
     *
     * @param port the Envoy gRPC ext_authz listener's port (unset: off); must differ from every other port
     */
    public record Grpc(@Nullable Integer port) {
        public Grpc {
            checkPort("grpc", port);
        }
    }

    private static void checkPort(String listener, @Nullable Integer port) {
        if (port != null && (port < 0 || port > 65_535)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "gatehouse.authz.%s.port must be 1-65535 (0: any free port, for tests), not %d", listener, port));
        }
    }
}
