package io.gatehouse.gateway.authn;

import io.gatehouse.testsupport.TestIssuer;
import io.gatehouse.policy.Identity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * What the AUTHENTICATE stage pays for a bearer token: a full verification (signature with the JDK's provider, claim
 * checks; the issuer's JWKS already fetched), and a token seen before (the verified-token cache). The issuer is the
 * in-process {@link TestIssuer} on loopback; only the first call fetches its keys. Run: docs/performance.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BearerVerifyBenchmark {

    @Param({"RS256", "ES256"})
    public String alg;

    private TestIssuer idp;
    private IssuerVerifier verifier;
    private BearerAuthenticator authenticator;
    private String token;

    @Setup(Level.Trial)
    public void setUp() {
        idp = TestIssuer.start();
        Clock clock = Clock.systemUTC();
        verifier = new IssuerVerifier(new BearerProperties.Issuer(idp.issuer(), List.of(TestIssuer.AUDIENCE), null,
                null), Duration.ofSeconds(30), clock, AuthnConfiguration.issuerWebClient());
        authenticator = new BearerAuthenticator(List.of(verifier), "https://gatehouse.bench", clock, 10_000,
                new SimpleMeterRegistry());
        token = alg.equals("RS256") ? idp.rs256(c -> { }) : idp.es256(c -> { });
        authenticator.authenticate(token).block(); // fetches the JWKS once and fills the cache
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        idp.close();
    }

    @Benchmark
    public Jwt verifyEveryTime() {
        return verifier.verify(token).block();
    }

    @Benchmark
    public Identity verifiedTokenCache() {
        return authenticator.authenticate(token).block();
    }
}
