package io.gatehouse.gateway.decisionservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.grpc.ManagedChannel;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * {@link GrpcListener}'s own behaviour, on loopback without Spring (plain gRPC; TLS and callers are
 * {@code EnvoyGrpcCheckIT}'s): the message bound, calls per connection, the connection cap without TLS (a mesh
 * sidecar in front; with TLS it is {@code GrpcConnectionCapIT}'s), and graceful shutdown.
 */
class GrpcListenerIT {

    private static final ServerInterceptor PASS = new ServerInterceptor() {
        @Override
        public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call,
                io.grpc.Metadata headers, io.grpc.ServerCallHandler<Q, R> next) {
            return next.startCall(call, headers);
        }
    };

    /** Answers OK; while {@link #hold} is closed, holds each answer until it opens. */
    private static final class Service extends AuthorizationGrpc.AuthorizationImplBase {
        final AtomicInteger calls = new AtomicInteger();
        final List<StreamObserver<CheckResponse>> held = new CopyOnWriteArrayList<>();
        volatile boolean hold;

        @Override
        public void check(CheckRequest request, StreamObserver<CheckResponse> responses) {
            calls.incrementAndGet();
            if (hold) {
                held.add(responses);
                return;
            }
            answer(responses);
        }

        void release() {
            hold = false;
            List<StreamObserver<CheckResponse>> waiting = List.copyOf(held);
            held.clear();
            for (StreamObserver<CheckResponse> responses : waiting) {
                try {
                    answer(responses);
                } catch (StatusRuntimeException | IllegalStateException cancelledMeanwhile) {
                    // the listener cut the call at its shutdown timeout: nothing to answer any more
                }
            }
        }

        static void answer(StreamObserver<CheckResponse> responses) {
            responses.onNext(CheckResponse.newBuilder().setStatus(com.google.rpc.Status.newBuilder().setCode(0))
                    .build());
            responses.onCompleted();
        }
    }

    private final Service service = new Service();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private GrpcListener listener;

    private GrpcListener start(GrpcListenerProperties limits) {
        listener = new GrpcListener(new GrpcListener.Binding("127.0.0.1", 0, null, false), limits, service, PASS,
                meters);
        listener.start();
        return listener;
    }

    private AuthorizationGrpc.AuthorizationFutureStub stub() {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", listener.port()).usePlaintext().build();
        channels.add(channel);
        return AuthorizationGrpc.newFutureStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static CheckRequest request(int headerBytes) {
        return CheckRequest.newBuilder().setAttributes(AttributeContext.newBuilder().setRequest(
                AttributeContext.Request.newBuilder().setHttp(AttributeContext.HttpRequest.newBuilder()
                        .setMethod("GET").setPath("/").putHeaders("x-pad", "a".repeat(headerBytes))))).build();
    }

    private static GrpcListenerProperties limits(DataSize maxMessage, int callsPerConnection, Duration shutdown) {
        return new GrpcListenerProperties(null, maxMessage, null, callsPerConnection, null, null, null, null, null,
                shutdown, null);
    }

    @AfterEach
    void stop() {
        service.release();
        channels.forEach(ManagedChannel::shutdownNow);
        if (listener != null) {
            listener.stop();
        }
    }

    @Test
    void checkWhenMessageExceedsMaxMessageSizeThenResourceExhausted() throws Exception {
        start(limits(DataSize.ofKilobytes(2), 100, Duration.ofSeconds(5)));

        assertThat(stub().check(request(100)).get().getStatus().getCode()).isZero();
        ExecutionException refused = catchThrowableOfType(ExecutionException.class,
                () -> stub().check(request(4096)).get());

        assertThat(Status.fromThrowable(refused.getCause()).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    }

    @Test
    void checkWhenConnectionAlreadyHasMaxCallsThenTheNextWaitsForOne() throws Exception {
        start(limits(DataSize.ofKilobytes(256), 1, Duration.ofSeconds(5)));
        service.hold = true;
        AuthorizationGrpc.AuthorizationFutureStub oneConnection = stub();

        ListenableFuture<CheckResponse> first = oneConnection.check(request(10));
        ListenableFuture<CheckResponse> second = oneConnection.check(request(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> !service.held.isEmpty());

        // The second stream is not opened while the first is in flight (with a higher limit it would be at once).
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> service.calls.get() == 1);
        assertThat(second.isDone()).isFalse();
        service.release();
        assertThat(first.get(10, TimeUnit.SECONDS).getStatus().getCode()).isZero();
        assertThat(second.get(10, TimeUnit.SECONDS).getStatus().getCode()).isZero();
        assertThat(service.calls.get()).isEqualTo(2);
    }

    @Test
    void connectWhenPlainGrpcAndCapReachedThenExtraClosedAtOnceAndCounted() throws Exception {
        start(new GrpcListenerProperties(null, null, null, null, null, null, null, null, null, null, 2));
        assertThat(stub().check(request(10)).get(10, TimeUnit.SECONDS).getStatus().getCode()).isZero();
        assertThat(stub().check(request(10)).get(10, TimeUnit.SECONDS).getStatus().getCode()).isZero();

        try (Socket extra = new Socket()) {
            extra.connect(new InetSocketAddress("127.0.0.1", listener.port()), 5_000);
            extra.setSoTimeout(2_000);
            assertThat(readOrReset(extra)).as("end of stream: closed by the listener").isEqualTo(-1);
        }

        assertThat(meters.get("gatehouse_authz_grpc_listener_connections_refused").tag("reason", "max-connections")
                .counter().count()).isEqualTo(1.0);
        assertThat(meters.get("gatehouse_authz_grpc_listener_connections").gauge().value()).isEqualTo(2.0);
        assertThat(service.calls.get()).isEqualTo(2);
    }

    /** The first byte read, or -1 at end of stream or on a reset; a read timeout (still open) is thrown. */
    private static int readOrReset(Socket socket) throws java.io.IOException {
        try {
            return socket.getInputStream().read();
        } catch (java.net.SocketTimeoutException stillOpen) {
            throw stillOpen;
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }

    @Test
    void stopWhenACheckIsInFlightThenItIsAnsweredAndNewCallsAreRefused() throws Exception {
        start(limits(DataSize.ofKilobytes(256), 100, Duration.ofSeconds(10)));
        service.hold = true;
        ListenableFuture<CheckResponse> inFlight = stub().check(request(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> service.held.size() == 1);

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(listener::stop);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Status.fromThrowable(
                catchThrowableOfType(ExecutionException.class, () -> stub().check(request(10)).get()).getCause())
                .getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        service.release();

        assertThat(inFlight.get(10, TimeUnit.SECONDS).getStatus().getCode()).isZero();
        stopping.get(10, TimeUnit.SECONDS);
        assertThat(listener.isRunning()).isFalse();
    }

    @Test
    void stopWhenACheckOutlivesTheShutdownTimeoutThenItIsCancelled() throws Exception {
        start(limits(DataSize.ofKilobytes(256), 100, Duration.ofMillis(300)));
        service.hold = true;
        ListenableFuture<CheckResponse> inFlight = stub().check(request(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> service.held.size() == 1);
        CountDownLatch stopped = new CountDownLatch(1);

        CompletableFuture.runAsync(() -> {
            listener.stop();
            stopped.countDown();
        });

        assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
        ExecutionException cut = catchThrowableOfType(ExecutionException.class, () -> inFlight.get(10, TimeUnit.SECONDS));
        assertThat(cut.getCause()).isInstanceOf(StatusRuntimeException.class);
        assertThat(Status.fromThrowable(cut.getCause()).getCode()).isNotEqualTo(Status.Code.OK);
    }
}
