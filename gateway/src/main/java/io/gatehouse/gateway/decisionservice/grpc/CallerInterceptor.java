package io.gatehouse.gateway.decisionservice.grpc;

import io.gatehouse.gateway.decisionlog.DecisionLogEvent;
import io.gatehouse.gateway.decisionservice.AuthzMetrics;
import io.gatehouse.gateway.decisionservice.Caller;
import io.gatehouse.gateway.decisionservice.CallerTrust;
import io.gatehouse.gateway.decisionservice.DecisionPipeline;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * Establishes who is calling before anything the caller sent is read (docs/design-next.md 2.2): the TCP peer
 * ({@link Grpc#TRANSPORT_ATTR_REMOTE_ADDR}) and the client certificate the listener's TLS verified against
 * {@code gatehouse.authz.client-ca} ({@link Grpc#TRANSPORT_ATTR_SSL_SESSION}) go to {@link CallerTrust}. A trusted
 * caller is put in the call's {@link Context} ({@link #CALLER}) for {@link GrpcCheckService}. An untrusted one gets
 * the gRPC status PERMISSION_DENIED, not a {@code CheckResponse} (Envoy with {@code failure_mode_allow: false} then
 * denies), without its message ever being requested; it is counted in
 * {@code gatehouse_authz_untrusted_callers_total{listener="grpc"}} and logged as one decision-log line with reason
 * {@code authz-caller-untrusted}.
 */
public final class CallerInterceptor implements ServerInterceptor {

    /** The trusted caller of the current call. */
    public static final Context.Key<Caller> CALLER = Context.key("gatehouse-authz-caller");

    /** The reason code of an untrusted caller. */
    public static final String UNTRUSTED = "authz-caller-untrusted";

    private final CallerTrust trust;
    private final DecisionPipeline pipeline;
    private final AuthzMetrics metrics;

    public CallerInterceptor(CallerTrust trust, DecisionPipeline pipeline, AuthzMetrics metrics) {
        this.trust = Objects.requireNonNull(trust, "trust");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        long started = System.nanoTime();
        InetSocketAddress remote = remote(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
        X509Certificate peer = peerCertificate(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
        Optional<Caller> caller = trust.identify(remote, peer);
        if (caller.isPresent()) {
            return Contexts.interceptCall(Context.current().withValue(CALLER, caller.get()), call, headers, next);
        }
        String name = CallerTrust.describe(remote, peer);
        metrics.untrusted("grpc");
        pipeline.recordRefused(new DecisionLogEvent.Via(EnvoyAnswers.DIALECT, name, null, null),
                CallerTrust.address(remote), UNTRUSTED + ": " + name + " is not a trusted caller of the decision"
                        + " service (gatehouse.authz.callers)", 403, started);
        call.close(Status.PERMISSION_DENIED.withDescription(
                "gatehouse: " + name + " is not a trusted caller (gatehouse.authz.callers)"), new Metadata());
        return new ServerCall.Listener<>() {
            // Nothing is ever read from an untrusted caller: the call is closed and no message requested.
        };
    }

    private static @Nullable InetSocketAddress remote(@Nullable SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet : null;
    }

    /** The verified client certificate of the connection, or null (no TLS, or no certificate presented). */
    static @Nullable X509Certificate peerCertificate(@Nullable SSLSession session) {
        if (session == null) {
            return null;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? leaf : null;
        } catch (SSLPeerUnverifiedException none) {
            return null;
        }
    }
}
