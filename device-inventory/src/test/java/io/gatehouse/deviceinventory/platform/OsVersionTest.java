package io.gatehouse.deviceinventory.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OsVersionTest {

    private static OsVersion v(String text) {
        return OsVersion.parse(text).orElseThrow();
    }

    @Test
    void compareWhenSegmentHasMoreDigitsThenNumericOrderWins() {
        assertThat(v("15.10")).isGreaterThan(v("15.2"));
    }

    @Test
    void compareWhenMissingSegmentsThenTheyCountAsZero() {
        assertThat(v("15").compareTo(v("15.0.0"))).isZero();
        assertThat(v("10.0.22631.4460")).isGreaterThan(v("10.0.22631"));
    }

    @Test
    void arrayLiteralPadsToFourSegments() {
        assertThat(v("15.2").arrayLiteral()).isEqualTo("{15,2,0,0}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "15.", ".15", "15.x", "v15", "1.2.3.4.5", "15 .2", "6.8.0-45-generic", "-1"})
    void parseWhenNotDigitsAndDotsThenEmpty(String text) {
        assertThat(OsVersion.parse(text)).isEmpty();
    }

    @Test
    void platformParseIgnoresCaseAndAnswersTheWireName() {
        assertThat(Platform.parse("MACOS")).contains(Platform.MACOS);
        assertThat(Platform.MACOS.wireName()).isEqualTo("macOS");
        assertThat(Platform.parse("plan9")).isEmpty();
    }
}
