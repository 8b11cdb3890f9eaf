package io.gatehouse.deviceinventory.platform;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The operating-system families the inventory knows. The wire name is what the posture answer's {@code os} holds
 * and what a policy's {@code os:} and {@code min_os_version:} name; parsing ignores case ({@code macos} is macOS).
 */
public enum Platform {
    MACOS("macOS"), IOS("iOS"), IPADOS("iPadOS"), WINDOWS("Windows"), LINUX("Linux"), ANDROID("Android"),
    CHROMEOS("ChromeOS");

    private final String wireName;

    Platform(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public static Optional<Platform> parse(String text) {
        return Arrays.stream(values())
                .filter(p -> p.wireName.toLowerCase(Locale.ROOT).equals(text.toLowerCase(Locale.ROOT)))
                .findFirst();
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(Platform::wireName).toList();
    }
}
