package io.gatehouse.policy.criteria;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1..2.3", "1.2.3.4 ", "a.b.c.d",
            "1:2:3:4:5:6:7", "1::2::3", "12345::", "::g", "1:2:3:4:5:6:7:8:9", "localhost", "::1.2.3"})
    void parseWhenTextIsNotAnIpLiteralThenNull(String text) {
        assertThat(IpAddress.parse(text)).isNull();
    }

    @ParameterizedTest
    @CsvSource({"0.0.0.0,4", "255.255.255.255,4", "10.20.1.7,4", "::,16", "::1,16", "2001:db8::1,16",
            "fe80::1:2:3:4,16", "1:2:3:4:5:6:7:8,16", "::ffff:10.0.0.1,4", "64:ff9b::10.0.0.1,16"})
    void parseWhenTextIsAnIpLiteralThenBytesOfItsFamily(String text, int length) {
        assertThat(IpAddress.parse(text)).hasSize(length);
    }

    @ParameterizedTest
    @CsvSource({"15.10,15.2,1", "15.2,15.2.0,0", "15.1.1,15.2,-1", "10.0.22631.4317,10.0.22631,1", "6,6.0.1,-1"})
    void compareVersionsNumericallySegmentBySegment(String a, String b, int sign) {
        int c = MinOsVersionCriterion.compare(MinOsVersionCriterion.parseVersion(a), MinOsVersionCriterion.parseVersion(b));
        assertThat(Integer.signum(c)).isEqualTo(sign);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "15.", ".15", "15..2", "15.x", "v15", "15 .2", "1234567890"})
    void parseVersionWhenNotNumbersSeparatedByDotsThenNull(String text) {
        assertThat(MinOsVersionCriterion.parseVersion(text)).isNull();
    }
}
