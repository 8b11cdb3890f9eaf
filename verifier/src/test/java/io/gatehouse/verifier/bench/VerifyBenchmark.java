package io.gatehouse.verifier.bench;

import com.nimbusds.jose.jwk.ECKey;
import io.gatehouse.verifier.AssertionRejectedException;
import io.gatehouse.verifier.GatehouseIdentity;
import io.gatehouse.verifier.GatehouseVerifier;
import io.gatehouse.verifier.TestTokens;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One full verification of a gateway-shaped assertion (parse, header checks, ES256, claims,
 * binding), with the JDK's ECDSA and with Amazon Corretto Crypto Provider. Figures and the command
 * are in docs/performance.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class VerifyBenchmark {
    @Param({"jdk", "accp"})
    public String provider;

    private GatehouseVerifier verifier;
    private String token;

    @Setup
    public void setUp() {
        ECKey key = TestTokens.newKey("bench");
        GatehouseVerifier.Builder builder = GatehouseVerifier.builder(TestTokens.ISSUER, TestTokens.AUDIENCE)
                .jwks(TestTokens.publicSet(key)).clock(TestTokens.CLOCK);
        if (provider.equals("jdk")) {
            builder.signatureProvider(null);
        }
        verifier = builder.build();
        if (provider.equals("accp") && !verifier.signatureProvider().equals("AmazonCorrettoCryptoProvider")) {
            throw new IllegalStateException("ACCP is not available here: " + verifier.signatureProvider());
        }
        token = TestTokens.sign(key, TestTokens.claims());
    }

    @Benchmark
    public GatehouseIdentity verify() throws AssertionRejectedException {
        return verifier.verify(token, "GET", TestTokens.HOST, "/salaries");
    }
}
