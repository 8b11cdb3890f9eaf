package io.gatehouse.e2e;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
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
        try {
            Path profile = Files.createTempDirectory("gatehouse-e2e-chrome");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM);
            options.setAcceptInsecureCerts(true);
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,900");
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options);
            // Bounded: a page that never finishes loading fails the test in 30 s, not in Selenium's default 300 s.
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            return driver;
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
}
