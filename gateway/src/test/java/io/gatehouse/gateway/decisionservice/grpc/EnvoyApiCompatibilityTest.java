package io.gatehouse.gateway.decisionservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.envoyproxy.envoy.service.auth.v3.OkHttpResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Design-next Q1: Envoy's generated API ({@code io.envoyproxy.controlplane:api} 1.0.49, protobuf 3.25 gencode) runs
 * on grpc-java 1.85.1 and protobuf-java 4.x. One {@code Authorization/Check} round trip in process, through the
 * generated stubs and their marshallers, carrying every field the endpoint uses on both sides.
 */
class EnvoyApiCompatibilityTest {

    @Test
    void checkWhenCalledInProcessThenRequestAndResponseSurviveTheStubs() throws Exception {
        String name = InProcessServerBuilder.generateName();
        CheckRequest[] seen = new CheckRequest[1];
        Server server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new AuthorizationGrpc.AuthorizationImplBase() {
                    @Override
                    public void check(CheckRequest request, StreamObserver<CheckResponse> responses) {
                        seen[0] = request;
                        responses.onNext(CheckResponse.newBuilder()
                                .setStatus(com.google.rpc.Status.newBuilder().setCode(0))
                                .setOkResponse(OkHttpResponse.newBuilder()
                                        .addHeaders(HeaderValueOption.newBuilder()
                                                .setHeader(HeaderValue.newBuilder()
                                                        .setKey("x-gatehouse-assertion").setValue("a.b.c"))
                                                .setAppendAction(HeaderValueOption.HeaderAppendAction
                                                        .OVERWRITE_IF_EXISTS_OR_ADD))
                                        .addHeadersToRemove("x-gatehouse-user"))
                                .setDynamicMetadata(Struct.newBuilder()
                                        .putFields("rule", Value.newBuilder().setStringValue("staff").build()))
                                .build());
                        responses.onCompleted();
                    }
                })
                .build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        try {
            CheckResponse response = AuthorizationGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .check(CheckRequest.newBuilder()
                            .setAttributes(AttributeContext.newBuilder()
                                    .setRequest(AttributeContext.Request.newBuilder()
                                            .setHttp(AttributeContext.HttpRequest.newBuilder()
                                                    .setMethod("GET").setScheme("https").setHost("app.example")
                                                    .setPath("/a?b=%2F").putHeaders("accept", "text/html"))))
                            .build());

            assertThat(seen[0].getAttributes().getRequest().getHttp().getPath()).isEqualTo("/a?b=%2F");
            assertThat(seen[0].getAttributes().getRequest().getHttp().getHeadersMap())
                    .containsEntry("accept", "text/html");
            assertThat(response.getStatus().getCode()).isZero();
            HeaderValueOption header = response.getOkResponse().getHeaders(0);
            assertThat(header.getHeader().getValue()).isEqualTo("a.b.c");
            assertThat(header.getAppendAction())
                    .isEqualTo(HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD);
            assertThat(response.getOkResponse().getHeadersToRemoveList()).containsExactly("x-gatehouse-user");
            assertThat(response.getDynamicMetadata().getFieldsOrThrow("rule").getStringValue()).isEqualTo("staff");
        } finally {
            channel.shutdownNow();
            server.shutdownNow();
        }
    }
}
