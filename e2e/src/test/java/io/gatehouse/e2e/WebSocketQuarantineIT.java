package io.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.testsupport.DecisionLogSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Continuous authorization in a real browser (issue 22): headless Chromium on pat's managed laptop signs in to the
 * packaged gateway and holds a WebSocket through it to a real Reactor Netty echo upstream; the device is quarantined
 * through the inventory API, and the page sees the WebSocket closed with 1008 and the gateway's reason, without
 * another request. The gateway is this test's own (on {@code app.localhost:28444}, a callback Keycloak's e2e client
 * knows) on the {@link WholeStack}'s Keycloak, device PKI and inventory, with a short posture cache and interval.
 * The device {@code pat-ws-laptop} is enrolled only for this test, so the quarantine touches no other journey.
 */
@ExtendWith(WholeStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSocketQuarantineIT {

    private static final int PORT = 28444;
    private static final String ORIGIN = "https://app.localhost:" + PORT;
    private static final String DEVICE = "pat-ws-laptop";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Opens the WebSocket on load, sends one message, and writes what it sees into the page. */
    private static final String PAGE = """
            <!doctype html>
            <html><head><title>ws</title></head><body>
            <p id="echo">waiting</p><p id="closed">open</p>
            <script>
              const ws = new WebSocket("wss://" + location.host + "/ws");
              ws.onopen = () => ws.send("hello through the gateway");
              ws.onmessage = e => { document.getElementById("echo").textContent = "echo " + e.data; };
              ws.onclose = e => { document.getElementById("closed").textContent = "closed " + e.code + " " + e.reason; };
            </script>
            </body></html>
            """;

    private WholeStack stack;
    private DisposableServer upstream;
    private GatewayProcess gateway;
    private WebDriver browser;

    @BeforeAll
    void startUpstreamAndGateway() {
        stack = WholeStack.get();   // a PER_CLASS instance is made before the extension starts the stack
        upstream = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes
                        .get("/ws.html", (req, res) -> res.header("Content-Type", "text/html; charset=utf-8")
                                .sendString(Mono.just(PAGE), StandardCharsets.UTF_8))
                        .ws("/ws", (in, out) -> out.sendString(in.receive().asString())))
                .bindNow(Duration.ofSeconds(10));
        String routes = """
                routes:
                  - id: ws-feed
                    from: %s
                    to: http://127.0.0.1:%d
                    policy:
                      allow:
                        - name: finance-on-high-trust-devices
                          groups: [finance]
                          device:
                            trust: high
                """.formatted(ORIGIN, upstream.port());
        Map<String, String> properties = new LinkedHashMap<>(stack.gatewayProperties());
        properties.put("gatehouse.inventory.cache-ttl", "1s");
        properties.put("gatehouse.long-lived.redecide-interval", "5s");
        gateway = GatewayProcess.start(Stack.get().jar,
                stack.dir.resolve("ws-gateway"), PORT, stack.pki(), routes, stack.keycloak, properties);
    }

    @AfterAll
    void stopUpstreamAndGateway() {
        try (var g = gateway) {
            if (upstream != null) {
                upstream.disposeNow(Duration.ofSeconds(5));
            }
        }
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void websocketWhenDeviceQuarantinedThenPageSeesClosed1008WithReason() throws Exception {
        browser = Browsers.startOnDevice(stack.devices.home(DEVICE), DEVICE, List.of(ORIGIN));
        String page = ORIGIN + "/ws.html";
        browser.get(page);
        Browsers.waiting(browser).until(ExpectedConditions.presenceOfElementLocated(By.id("password")));
        Browsers.signIn(browser, "pat", "pat-password");
        Browsers.waiting(browser).until(ExpectedConditions.urlToBe(page));
        Browsers.waiting(browser).until(ExpectedConditions.textToBe(By.id("echo"), "echo hello through the gateway"));
        assertThat(browser.findElement(By.id("closed")).getText()).isEqualTo("open");

        assertThat(stack.inventoryApi.quarantine(DEVICE, "reported stolen, ticket SEC-22")).isEqualTo("untrusted");

        // The posture watch (cache-ttl 1 s) or, at worst, the 5 s interval (+10 % jitter) re-decides the connection.
        new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(ExpectedConditions.textMatches(By.id("closed"), Pattern.compile("^closed 1008 .+")));
        String closed = browser.findElement(By.id("closed")).getText();
        assertThat(closed).startsWith("closed 1008 gatehouse: ").contains("denied");

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !cuts().isEmpty());
        JsonNode cut = cuts().get(0);
        assertThat(cut.path("connection").path("close").asText()).isEqualTo("1008");
        assertThat(cut.path("what").path("path").asText()).isEqualTo("/ws");
        assertThat(cut.path("why").path("decision").asText()).isEqualTo("deny");
    }

    /** This gateway's decision-log lines for cut connections. */
    private List<JsonNode> cuts() {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : gateway.log().split("\n")) {
            if (line.startsWith("{") && line.contains("\"connection\"")) {
                DecisionLogSchema.assertValid(line);
                try {
                    JsonNode node = JSON.readTree(line);
                    if (node.path("connection").path("cut").asBoolean()) {
                        lines.add(node);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("a decision-log line is not JSON: " + line, e);
                }
            }
        }
        return lines;
    }
}
