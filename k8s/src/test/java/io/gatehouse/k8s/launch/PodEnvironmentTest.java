package io.gatehouse.k8s.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The two value rewrites of the launch: Kubernetes' {@code $(VAR)} expansion and mount paths under the pod's root. */
class PodEnvironmentTest {

    private static final Map<String, String> MOUNTS = Map.of("/etc/gatehouse/db-ca", "/r/etc/gatehouse/db-ca",
            "/tmp", "/r/tmp");

    @Test
    void expandWhenVariableDefinedEarlierThenReplacedElseKept() {
        assertThat(PodEnvironment.expand("jdbc:postgresql://$(DB_HOST):5432/$(NOPE)", Map.of("DB_HOST", "db.example")))
                .isEqualTo("jdbc:postgresql://db.example:5432/$(NOPE)");
    }

    @Test
    void expandWhenEscapedThenLiteral() {
        assertThat(PodEnvironment.expand("$$(DB_HOST)", Map.of("DB_HOST", "x"))).isEqualTo("$(DB_HOST)");
    }

    @Test
    void rewriteWhenMountPathIsAWholePathPrefixThenMoved() {
        assertThat(PodEnvironment.rewritePaths("-XX:MaxRAMPercentage=75 -Djava.io.tmpdir=/tmp", MOUNTS))
                .isEqualTo("-XX:MaxRAMPercentage=75 -Djava.io.tmpdir=/r/tmp");
        assertThat(PodEnvironment.rewritePaths("x?sslmode=verify-full&sslrootcert=/etc/gatehouse/db-ca/ca.pem", MOUNTS))
                .isEqualTo("x?sslmode=verify-full&sslrootcert=/r/etc/gatehouse/db-ca/ca.pem");
    }

    @Test
    void rewriteWhenOnlyAPrefixOfANameThenUntouched() {
        assertThat(PodEnvironment.rewritePaths("/tmpfs/x /var/tmp", MOUNTS)).isEqualTo("/tmpfs/x /var/tmp");
    }
}
