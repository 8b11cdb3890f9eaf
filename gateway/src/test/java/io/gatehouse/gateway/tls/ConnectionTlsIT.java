package io.gatehouse.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLPeerUnverifiedException;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/**
 * A connection without a client certificate is asked about its certificate once, not once per copy of each request.
 * The JDK answers "none" only by throwing {@link SSLPeerUnverifiedException}, and Spring's {@code request.mutate()}
 * reads the original's SSL info unless it is handed one: the stages that copy a request (HYGIENE stripping a spoofed
 * header, the session-cookie filter, DEVICE consuming a forwarded certificate) made the JDK throw and fill in a deep
 * stack trace on every request. JFR's exception events count what the event loop threw.
 */
class ConnectionTlsIT extends GatewayITSupport {

    private static final int REQUESTS = 20;

    @Test
    void copiesOfRequestsOnOneConnectionWithoutClientCertificateAskTheJdkOnce() throws IOException {
        GatewayClient client = client();
        List<RecordedEvent> thrown = recordExceptionsWhile(() -> {
            for (int i = 0; i < REQUESTS; i++) {
                // a cookie (the session-cookie filter copies the request) and a spoofed header (HYGIENE strips it)
                var response = client.get("/copied/" + i,
                        Map.of("Cookie", "theme=dark", "X-Gatehouse-User", "mallory"));
                assertThat(response.status()).isEqualTo(200);
            }
        });

        assertThat(upstream.received()).hasSize(REQUESTS)
                .allSatisfy(seen -> assertThat(seen.hasHeader("X-Gatehouse-User")).isFalse());
        List<String> peerUnverified = thrown.stream()
                .filter(e -> SSLPeerUnverifiedException.class.getName().equals(thrownClass(e)))
                .filter(e -> e.getThread() != null && e.getThread().getJavaName().startsWith("reactor-http"))
                .map(ConnectionTlsIT::askedBy)
                .toList();
        // Once per connection (the client may open a second one) by ConnectionTls itself, never per request.
        assertThat(peerUnverified).as("SSLPeerUnverifiedException thrown on the event loop for %d requests", REQUESTS)
                .hasSizeLessThanOrEqualTo(2)
                .allSatisfy(askedBy -> assertThat(askedBy).isEqualTo(ConnectionTls.class.getName() + ".read"));
    }

    /** The first frame outside the JDK and Netty: who asked for the peer certificates. */
    private static String askedBy(RecordedEvent event) {
        return event.getStackTrace() == null ? "?" : event.getStackTrace().getFrames().stream()
                .map(f -> f.getMethod().getType().getName() + "." + f.getMethod().getName())
                .filter(name -> !name.matches("^(java|javax|sun|jdk|io\\.netty)\\..*"))
                .findFirst().orElse("?");
    }

    private static String thrownClass(RecordedEvent event) {
        RecordedClass thrown = event.getValue("thrownClass");
        return thrown == null ? "" : thrown.getName();
    }

    private List<RecordedEvent> recordExceptionsWhile(Runnable requests) throws IOException {
        Path file = Files.createTempFile(dir, "exceptions", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.JavaExceptionThrow").withStackTrace();
            recording.start();
            requests.run();
            recording.stop();
            recording.dump(file);
        }
        return RecordingFile.readAllEvents(file);
    }
}
