package io.gatehouse.gateway.longlived;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.policy.Identity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The registry's bound, indexes and due times, and the close reason's size; no Spring. */
class ConnectionRegistryTest {

    private static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private static LongLivedConnection connection(String id, Credential credential, String device) {
        return new LongLivedConnection(id, LongLivedConnection.Kind.WEBSOCKET, "ws", URI.create("http://127.0.0.1:1"),
                T0, new LongLivedConnection.Facts("GET", URI.create("https://localhost/chat"), "127.0.0.1",
                "localhost", "/chat", null, "TLSv1.3", 101), credential, device, null, T0.plusSeconds(60),
                reason -> "1008");
    }

    @Test
    void openWhenAtLimitThenRefusedAndCounted() {
        ConnectionRegistry registry = new ConnectionRegistry(2, meters);

        assertThat(registry.open(connection("a", new Credential.Anonymous(), null))).isTrue();
        assertThat(registry.open(connection("b", new Credential.Anonymous(), null))).isTrue();
        boolean third = registry.open(connection("c", new Credential.Anonymous(), null));

        assertThat(third).isFalse();
        assertThat(registry.size()).isEqualTo(2);
        assertThat(meters.get("gatehouse.long.lived.rejected").tag("kind", "websocket").counter().count()).isEqualTo(1);
        assertThat(meters.get("gatehouse.long.lived.connections").tags("route", "ws", "kind", "websocket").gauge()
                .value()).isEqualTo(2);
    }

    @Test
    void closedWhenCalledTwiceThenCountedOnceAndRoomAgain() {
        ConnectionRegistry registry = new ConnectionRegistry(1, meters);
        LongLivedConnection a = connection("a", new Credential.Anonymous(), null);
        registry.open(a);

        registry.closed(a);
        registry.closed(a);

        assertThat(registry.size()).isZero();
        assertThat(registry.open(connection("b", new Credential.Anonymous(), null))).isTrue();
    }

    @Test
    void openWhenSameRequestIdTwiceThenBug() {
        ConnectionRegistry registry = new ConnectionRegistry(5, meters);
        registry.open(connection("a", new Credential.Anonymous(), null));

        assertThatThrownBy(() -> registry.open(connection("a", new Credential.Anonymous(), null)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(registry.size()).isEqualTo(1);
    }

    @Test
    void lookupWhenBySessionOrDeviceThenOnlyThoseConnections() {
        ConnectionRegistry registry = new ConnectionRegistry(5, meters);
        Identity pat = new Identity("u-1", null, List.of(), Map.of(), null);
        registry.open(connection("a", new Credential.Session("secret-id", "hash-a"), null));
        registry.open(connection("b", new Credential.Bearer(pat, T0), "sha-b"));
        registry.open(connection("c", new Credential.Session("other", "hash-c"), "sha-b"));

        assertThat(registry.withSession("hash-a")).extracting(LongLivedConnection::requestId).containsExactly("a");
        assertThat(registry.withDevice("sha-b")).extracting(LongLivedConnection::requestId)
                .containsExactlyInAnyOrder("b", "c");
    }

    @Test
    void dueWhenTimeComesOrTriggerPushedThenDueUntilCut() {
        LongLivedConnection a = connection("a", new Credential.Anonymous(), null);

        assertThat(a.due(T0)).isFalse();
        assertThat(a.due(T0.plusSeconds(60))).isTrue();
        a.push(Trigger.RELOAD);
        assertThat(a.due(T0)).isTrue();
        assertThat(a.takeTrigger()).isEqualTo(Trigger.RELOAD);
        assertThat(a.cut("x")).isEqualTo("1008");
        assertThat(a.cut("x")).isNull();
        assertThat(a.due(T0.plusSeconds(60))).isFalse();
    }

    @Test
    void claimWhenInFlightThenSecondRefusedAndStaleUnclaimIgnored() {
        LongLivedConnection a = connection("a", new Credential.Anonymous(), null);
        long first = a.claim();

        assertThat(a.claim()).isZero();
        a.release(T0.plusSeconds(60), Trigger.INTERVAL);
        long second = a.claim();
        a.unclaim(first, T0);

        assertThat(second).isNotZero();
        assertThat(a.claim()).isZero();
    }

    @Test
    void sessionCredentialWhenPrintedThenNoId() {
        assertThat(new Credential.Session("the-secret-id", "hash").toString()).doesNotContain("the-secret-id");
    }

    @Test
    void closeReasonWhenLongOrMultiByteThenAtMost123BytesAndNamesTheRequest() {
        String reason = Redecider.closeReason("denied (" + "é".repeat(200) + ")", "5bb09d13-aaaa-4bbb-8ccc-123456789012");

        assertThat(reason.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
        assertThat(reason).startsWith("gatehouse: denied (").endsWith("; request 5bb09d13");
    }
}
