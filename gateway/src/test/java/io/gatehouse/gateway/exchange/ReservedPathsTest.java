package io.gatehouse.gateway.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReservedPathsTest {

    @ParameterizedTest
    @CsvSource({
            "/.gatehouse, true", "/.gatehouse/, true", "/.gatehouse/callback, true",
            "/.well-known/gatehouse/jwks.json, true", "/.well-known/gatehouse, true",
            "/.gatehousex, false", "/a/.gatehouse/x, false", "/.well-known/openid-configuration, false", "/, false"})
    void isReservedWhenPathGivenThenOnlyGatewayPrefixesAtSegmentBoundary(String path, boolean reserved) {
        assertThat(ReservedPaths.isReserved(path)).isEqualTo(reserved);
    }
}
