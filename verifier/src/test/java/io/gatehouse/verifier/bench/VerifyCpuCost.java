package io.gatehouse.verifier.bench;

import com.nimbusds.jose.jwk.ECKey;
import io.gatehouse.verifier.GatehouseVerifier;
import io.gatehouse.verifier.TestTokens;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * CPU time of one verification on this thread, JDK vs ACCP: a companion to {@link VerifyBenchmark}
 * whose wall-clock figures swing when the shared machine is busy, while a thread's CPU time does
 * not count the time it waited for a core. Not a JMH benchmark: warm up, then average over N.
 */
public final class VerifyCpuCost {
    private VerifyCpuCost() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        ECKey key = TestTokens.newKey("bench");
        String token = TestTokens.sign(key, TestTokens.claims());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (String provider : new String[] {"jdk", "accp"}) {
            GatehouseVerifier.Builder builder = GatehouseVerifier.builder(TestTokens.ISSUER, TestTokens.AUDIENCE)
                    .jwks(TestTokens.publicSet(key)).clock(TestTokens.CLOCK);
            if (provider.equals("jdk")) {
                builder.signatureProvider(null);
            }
            GatehouseVerifier verifier = builder.build();
            for (int i = 0; i < n; i++) {
                verifier.verify(token, "GET", TestTokens.HOST, "/salaries");
            }
            long cpu = threads.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            for (int i = 0; i < n; i++) {
                verifier.verify(token, "GET", TestTokens.HOST, "/salaries");
            }
            System.out.printf("%-4s (%s): %.1f us CPU, %.1f us wall per verification (n=%d)%n", provider,
                    verifier.signatureProvider(), (threads.getCurrentThreadCpuTime() - cpu) / 1000.0 / n,
                    (System.nanoTime() - wall) / 1000.0 / n, n);
        }
    }
}
