package io.gatehouse.e2e;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium from Debian ({@code /usr/bin/chromium}, {@code /usr/bin/chromedriver}) with an explicit binary
 * and driver, so Selenium Manager never downloads anything. Each browser has a fresh profile: no cookies shared
 * between journeys. The test certificate is accepted through {@code acceptInsecureCerts}.
 */
final class Browsers {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private Browsers() {
    }

    /** Fails (never skips) when the browser is missing: scripts/install-prerequisites installs it. */
    static void requireChromium() {
        if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
            throw new IllegalStateException("Chromium is missing: the e2e tests need " + CHROMIUM + " and " + CHROMEDRIVER
                    + " (Debian packages chromium and chromium-driver; scripts/install-prerequisites installs them)");
        }
    }

    static WebDriver start() {
        return start(null, Map.of(), "1280,900");
    }

    /**
     * A browser on a managed device: {@code home} holds the NSS database with the device's certificate (see
     * {@link DeviceCertificates}), and an auto-select rule makes Chromium present the certificate whose subject CN is
     * {@code device} to each of {@code origins} without the (invisible, headless) chooser dialog. The window is
     * 1000x700, the size of the README's screenshots.
     */
    static WebDriver startOnDevice(Path home, String device, List<String> origins) {
        Map<String, Object> rule = Map.of("setting", Map.of("filters", List.of(Map.of("SUBJECT", Map.of("CN", device)))));
        Map<String, Object> exceptions = new HashMap<>();
        origins.forEach(origin -> exceptions.put(origin + ",*", rule));
        // Only the outer key is split on dots, so the origins inside the map stay whole.
        return start(home, Map.of("profile.content_settings.exceptions.auto_select_certificate", exceptions), "1000,700");
    }

    /** {@code home} null: the JVM's HOME, no client certificate. */
    private static WebDriver start(Path home, Map<String, Object> prefs, String windowSize) {
        try {
            Path profile = Files.createTempDirectory("gatehouse-e2e-chrome");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM);
            options.setAcceptInsecureCerts(true);
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=" + windowSize);
            if (!prefs.isEmpty()) {
                options.setExperimentalOption("prefs", prefs);
            }
            ChromeDriverService.Builder service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort();
            if (home != null) {
                // Chromium on Linux reads client certificates only from $HOME/.pki/nssdb; chromedriver passes its
                // environment on, so each device gets its own HOME.
                service.withEnvironment(Map.of("HOME", home.toString()));
            }
            ChromeDriver driver = new ChromeDriver(service.build(), options);
            // Bounded: a page that never finishes loading fails the test in 30 s, not in Selenium's default 300 s.
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            return driver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Saves what the browser shows as {@code e2e/target/screenshots/NAME.png} (the README's images come from here). */
    static Path screenshot(WebDriver driver, Path root, String name) {
        try {
            Path dir = Files.createDirectories(root.resolve("e2e/target/screenshots"));
            byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
            return Files.write(dir.resolve(name + ".png"), png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static WebDriverWait waiting(WebDriver driver) {
        return new WebDriverWait(driver, Duration.ofSeconds(30));
    }

    /** Fills Keycloak's login form (the username too when Keycloak asks for it) and submits it. */
    static void signIn(WebDriver driver, String username, String password) {
        WebDriverWait wait = waiting(driver);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("password")));
        var user = driver.findElements(By.id("username"));
        if (!user.isEmpty() && user.get(0).isDisplayed() && user.get(0).isEnabled()
                && user.get(0).getAttribute("value").isEmpty()) {
            user.get(0).sendKeys(username);
        }
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("kc-login")).click();
    }

    /**
     * Signs out at {@code origin} as a user does: the gateway's confirm page (a GET ends nothing), its button (a
     * same-origin POST), then Keycloak's own confirmation when it asks (RP-initiated logout by {@code client_id},
     * without the ID token, is confirmed by the user at Keycloak), until the gateway's signed-out page.
     */
    static void signOut(WebDriver driver, String origin) {
        WebDriverWait wait = waiting(driver);
        driver.get(origin + "/.gatehouse/logout");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-out"))).click();
        String signedOut = origin + "/.gatehouse/signed-out";
        wait.until(ExpectedConditions.or(ExpectedConditions.urlToBe(signedOut),
                ExpectedConditions.presenceOfElementLocated(By.id("kc-logout"))));
        if (!driver.getCurrentUrl().equals(signedOut)) {
            driver.findElement(By.id("kc-logout")).click();
            wait.until(ExpectedConditions.urlToBe(signedOut));
        }
    }
}
