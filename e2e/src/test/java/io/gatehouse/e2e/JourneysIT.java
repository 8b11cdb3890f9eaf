package io.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The journeys of issue 8 on the whole stack ({@link WholeStack}): real Keycloak, device-inventory on PostgreSQL,
 * headless Chromium presenting device certificates, the packaged gateway with the demo's routes, and hello-app
 * verifying the assertion. Each journey asserts what the user, the upstream or the decision log really saw.
 * The inventory-stopped journey runs last: it stops the inventory and starts it again.
 */
@ExtendWith(WholeStack.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JourneysIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final WholeStack stack = WholeStack.get();
    private WebDriver browser;

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private void signInOn(String device, String url, String user, String screenshot) {
        browser = stack.browserOn(device);
        browser.get(url);
        Browsers.waiting(browser).until(ExpectedConditions.presenceOfElementLocated(By.id("password")));
        assertThat(browser.getCurrentUrl()).startsWith(stack.keycloak.origin());
        if (screenshot != null) {
            Browsers.screenshot(browser, stack.root, screenshot);
        }
        Browsers.signIn(browser, user, user + "-password");
        Browsers.waiting(browser).until(ExpectedConditions.urlToBe(url));
    }

    private String pageText() {
        return browser.findElement(By.tagName("body")).getText();
    }

    private static String agent(String journey) {
        return "gatehouse-e2e/" + journey + "/" + UUID.randomUUID();
    }

    @Test
    void payrollWhenFinanceUserOnHighTrustDeviceThenWhoYouArePageShowsDeviceAndTrust() {
        signInOn("pat-laptop", WholeStack.PAYROLL + "/", "pat", "login");

        Browsers.waiting(browser).until(ExpectedConditions.textToBe(By.tagName("h1"), "Who you are"));
        Browsers.screenshot(browser, stack.root, "who-you-are");
        assertThat(browser.findElement(By.id("device")).getText()).isEqualTo("pat-laptop — trust high");
        assertThat(pageText()).contains("pat@corp.example").contains("finance").contains("payroll");
    }

    @Test
    void payrollWhenSameUserOnUnencryptedDeviceThenDenyPageNamesTheReasons() {
        signInOn("pat-old-laptop", WholeStack.PAYROLL + "/", "pat", null);

        Browsers.waiting(browser).until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"),
                "Access denied"));
        Browsers.screenshot(browser, stack.root, "deny");
        assertThat(pageText()).contains("payroll").contains("no allow rule matched")
                .contains("device trust is basic, rule finance-on-good-devices needs high")
                .contains("pat@corp.example").contains("Request id:")
                .doesNotContain("Who you are");
    }

    @Test
    void payrollWhenDeviceQuarantinedThroughInventoryApiThenVeryNextRequestIsDenied() throws Exception {
        String token = stack.apiToken("pat");
        Curl.Response before = stack.curl.get(WholeStack.PAYROLL + "/whoami.json", stack.devices, "pat-tablet", token,
                agent("quarantine"));
        assertThat(before.status()).as(before.body()).isEqualTo(200);
        assertThat(JSON.readTree(before.body()).path("device").path("trust").asText()).isEqualTo("high");

        assertThat(stack.inventoryApi.quarantine("pat-tablet", "reported stolen, ticket SEC-8")).isEqualTo("untrusted");

        Curl.Response next = stack.curl.get(WholeStack.PAYROLL + "/whoami.json", stack.devices, "pat-tablet", token,
                agent("quarantine"));
        assertThat(next.status()).as(next.body()).isEqualTo(403);
        assertThat(next.body()).contains("device trust is untrusted").contains("needs high");
    }

    @Test
    void payrollWhenUserRemovedFromFinanceAtIdpThenDeniedAfterRefresh() throws Exception {
        signInOn("kim-laptop", WholeStack.PAYROLL + "/", "kim", null);
        Browsers.waiting(browser).until(ExpectedConditions.textToBe(By.tagName("h1"), "Who you are"));
        assertThat(browser.findElement(By.id("device")).getText()).isEqualTo("kim-laptop — trust high");

        stack.keycloak.removeFromGroup("kim", "finance");

        // The e2e client's access tokens live 40 s and are refreshed 30 s before expiry: the groups change within ~10 s.
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            browser.get(WholeStack.PAYROLL + "/");
            return pageText().contains("Access denied");
        });
        assertThat(pageText()).contains("kim@corp.example").contains("no allow rule matched")
                .contains("user kim@corp.example is in groups [], rule finance-on-good-devices needs one of [finance]");
    }

    @Test
    void apiWhenKeycloakIdTokenSentAsBearerThen401() throws Exception {
        String agent = agent("id-token");
        Curl.Response response = stack.curl.get(WholeStack.PAYROLL + "/whoami.json", stack.devices, "pat-laptop",
                stack.idToken("pat"), agent);

        assertThat(response.status()).as(response.body()).isEqualTo(401);
        assertThat(response.body()).contains("bearer-invalid-token");
        assertThat(awaitDecisions(agent, 1).get(0).path("result").path("status").asInt()).isEqualTo(401);
    }

    @Test
    void apiWhenBearerTokenFromKeycloakThenHelloAppVerifiesTheAssertionItReceives() throws Exception {
        String agent = agent("bearer");
        Curl.Response response = stack.curl.get(WholeStack.PAYROLL + "/whoami.json", stack.devices, "pat-laptop",
                stack.apiToken("pat"), agent);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        // hello-app answers /whoami.json only after its verifier accepted the assertion: these are its claims.
        JsonNode me = JSON.readTree(response.body());
        assertThat(me.path("email").asText()).isEqualTo("pat@corp.example");
        assertThat(me.path("groups").toString()).isEqualTo("[\"finance\"]");
        assertThat(me.path("issuer").asText()).isEqualTo("https://localhost:" + WholeStack.PORT);
        assertThat(me.path("audience").asText()).isEqualTo("payroll");
        assertThat(me.path("device").path("id").asText()).isEqualTo("pat-laptop");
        assertThat(me.path("device").path("trust").asText()).isEqualTo("high");
        assertThat(me.path("signature_provider").asText()).isNotBlank();
        JsonNode line = awaitDecisions(agent, 1).get(0);
        assertThat(line.path("assertion_jti").asText()).isEqualTo(me.path("jti").asText());
        assertThat(line.path("who").path("auth").asText()).isEqualTo("bearer");

        // The same app turns away a request that did not come through the gateway.
        Curl.Response forged = stack.curl.getDirect("http://127.0.0.1:" + stack.settings.get("PAYROLL_PORT")
                + "/whoami.json", "X-Gatehouse-Assertion: forged");
        assertThat(forged.status()).isEqualTo(401);
    }

    @Test
    void decisionLogWhenRequestsAllowedDeniedAndRejectedThenOneLineEachWithWhoWhatWhyWhere() throws Exception {
        String token = stack.apiToken("pat");
        String allowed = agent("log-allow");
        String denied = agent("log-deny");
        String rejected = agent("log-reject");
        assertThat(stack.curl.get(WholeStack.PAYROLL + "/whoami.json", stack.devices, "pat-laptop", token, allowed)
                .status()).isEqualTo(200);
        assertThat(stack.curl.get(WholeStack.PAYROLL + "/whoami.json", stack.devices, "pat-old-laptop", token, denied)
                .status()).isEqualTo(403);
        assertThat(stack.curl.get(WholeStack.PAYROLL + "/a/..%2fsettings", stack.devices, "pat-laptop", token, rejected)
                .status()).isEqualTo(400);

        JsonNode allow = awaitDecisions(allowed, 1).get(0);
        assertThat(allow.at("/who/email").asText()).isEqualTo("pat@corp.example");
        assertThat(allow.at("/who/subject").asText()).isNotBlank();
        assertThat(allow.at("/who/groups").toString()).isEqualTo("[\"finance\"]");
        assertThat(allow.at("/what/method").asText()).isEqualTo("GET");
        assertThat(allow.at("/what/host").asText()).isEqualTo("payroll.localhost");
        assertThat(allow.at("/what/path").asText()).isEqualTo("/whoami.json");
        assertThat(allow.at("/what/route").asText()).isEqualTo("payroll");
        assertThat(allow.at("/why/decision").asText()).isEqualTo("allow");
        assertThat(allow.at("/why/rule").asText()).isEqualTo("finance-on-good-devices");
        assertThat(allow.at("/where/source_ip").asText()).isEqualTo("127.0.0.1");
        assertThat(allow.at("/where/device_id").asText()).isEqualTo("pat-laptop");
        assertThat(allow.at("/where/device_trust").asText()).isEqualTo("high");
        assertThat(allow.at("/where/tls").asText()).startsWith("TLSv1.");
        assertThat(allow.at("/result/status").asInt()).isEqualTo(200);

        JsonNode deny = awaitDecisions(denied, 1).get(0);
        assertThat(deny.at("/why/decision").asText()).isEqualTo("deny");
        assertThat(deny.at("/why/enforced").asBoolean()).isTrue();
        assertThat(deny.at("/why/rule").isNull()).isTrue();
        assertThat(deny.at("/why/reasons").toString()).contains("no allow rule matched")
                .contains("device trust is basic, rule finance-on-good-devices needs high");
        assertThat(deny.at("/where/device_id").asText()).isEqualTo("pat-old-laptop");
        assertThat(deny.at("/where/device_trust").asText()).isEqualTo("basic");
        assertThat(deny.at("/result/status").asInt()).isEqualTo(403);
        assertThat(deny.path("assertion_jti").isNull()).isTrue();

        JsonNode reject = awaitDecisions(rejected, 1).get(0);
        assertThat(reject.at("/why/decision").asText()).isEqualTo("deny");
        assertThat(reject.at("/result/status").asInt()).isEqualTo(400);
        assertThat(reject.at("/what/host").asText()).isEqualTo("payroll.localhost");
    }

    @Test
    void payrollWhenGatehouseYamlChangedOnDiskThenNextRequestFollowsTheNewPolicy() throws Exception {
        Path config = stack.gateway.config();
        String original = Files.readString(config);
        String token = stack.apiToken("pat");
        assertThat(stack.curl.get(WholeStack.PAYROLL + "/whoami.json", stack.devices, "pat-laptop", token,
                agent("reload")).status()).isEqualTo(200);
        // payroll is the demo's only route that names the finance group
        String tightened = original.replace("groups: [finance]", "groups: [payroll-admins]");
        assertThat(tightened).isNotEqualTo(original);
        try {
            rewriteAndAwaitReload(config, tightened);

            Curl.Response next = stack.curl.get(WholeStack.PAYROLL + "/whoami.json", stack.devices, "pat-laptop",
                    token, agent("reload"));
            assertThat(next.status()).as(next.body()).isEqualTo(403);
            assertThat(next.body()).contains("rule finance-on-good-devices needs one of [payroll-admins]");
        } finally {
            rewriteAndAwaitReload(config, original);
        }
        assertThat(stack.curl.get(WholeStack.PAYROLL + "/whoami.json", stack.devices, "pat-laptop", token,
                agent("reload")).status()).isEqualTo(200);
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void payrollWhenInventoryStoppedThenFailsClosedSayingTheInventoryIsUnreachable() throws Exception {
        String token = stack.apiToken("pat");
        String agent = agent("inventory-down");
        stack.inventory.stop();
        try {
            Curl.Response response = stack.curl.get(WholeStack.PAYROLL + "/whoami.json", stack.devices, "pat-laptop",
                    token, agent);

            assertThat(response.status()).as(response.body()).isEqualTo(403);
            assertThat(response.body()).contains("device inventory unreachable").contains("device counts as unknown");
            JsonNode line = awaitDecisions(agent, 1).get(0);
            assertThat(line.at("/why/reasons").toString()).contains("device inventory unreachable");
            assertThat(line.at("/where/device_trust").asText()).isEqualTo("untrusted");
        } finally {
            // Started again for any journey that comes after (this one runs last in the class, not in the suite).
            stack.inventory.start();
            stack.inventory.awaitReady();
        }
    }

    /** Waits (at most 10 s: the writer is asynchronous) for the decision-log lines of {@code agent}'s requests. */
    private List<JsonNode> awaitDecisions(String agent, int expected) {
        Awaitility.await("decision-log lines of " + agent).atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200)).until(() -> stack.decisionsOf(agent).size() >= expected);
        List<JsonNode> lines = stack.decisionsOf(agent);
        assertThat(lines).as("one line per request").hasSize(expected);
        return lines;
    }

    private void rewriteAndAwaitReload(Path config, String yaml) throws Exception {
        int logged = stack.gateway.log().length();
        // Written beside and moved over, as an editor or a ConfigMap update does: the watcher never reads half a file.
        Path next = config.resolveSibling("gatehouse.yaml.next");
        Files.writeString(next, yaml);
        Files.move(next, config, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Awaitility.await("gatehouse.yaml reloaded").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> stack.gateway.log().substring(logged).contains("gatehouse.yaml reloaded"));
    }
}
