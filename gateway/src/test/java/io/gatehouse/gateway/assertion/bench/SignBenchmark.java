package io.gatehouse.gateway.assertion.bench;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.gatehouse.gateway.assertion.AssertionSigner;
import io.gatehouse.gateway.assertion.SigningKey;
import io.gatehouse.gateway.assertion.SigningKeys;
import io.gatehouse.policy.DevicePosture;
import io.gatehouse.policy.Identity;
import io.gatehouse.policy.TrustLevel;
import java.security.Provider;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One assertion as the ASSERT stage mints it (claims built, ES256 signed, serialised), with Amazon Corretto Crypto
 * Provider and with the JDK's provider. Run: see docs/performance.md, "Assertion signer".
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SignBenchmark {

    @Param({"accp", "jdk"})
    public String provider;

    private AssertionSigner signer;
    private final Identity pat = new Identity("u-17", "pat@corp.example", List.of("finance", "staff"), Map.of(), null);
    private final DevicePosture laptop = new DevicePosture("dev-42", true, true, TrustLevel.HIGH, true, true, "macOS",
            "15.3", "pat@corp.example", null);

    @Setup
    public void setUp() throws Exception {
        SigningKeys keys = new SigningKeys(List.of(new SigningKey("k1",
                new ECKeyGenerator(Curve.P_256).keyID("k1").generate(), null, null)), Duration.ofMinutes(2));
        Provider chosen = null;
        if (provider.equals("accp")) {
            chosen = (Provider) Class.forName("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider")
                    .getField("INSTANCE").get(null);
        }
        signer = new AssertionSigner(keys, "https://gatehouse.corp.example", Clock.systemUTC(), chosen);
    }

    @Benchmark
    public String sign() {
        return signer.sign("payroll", pat, laptop, "GET", "payroll.corp.example", "/reports/2026/11").jwt();
    }
}
