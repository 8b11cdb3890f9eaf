package io.gatehouse.gateway.assertion;

import java.security.Provider;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the JCA provider for ES256 signatures. JDK 17's own ECDSA costs 600–900 µs per signature on the
 * reference machine, Amazon Corretto Crypto Provider (native, from Maven Central) about 17 µs; so ACCP is
 * preferred when its class is on the classpath and its native library loaded and passed its self-test. Otherwise
 * the JDK's provider (null = JCA default) — slower but correct. The choice is logged once at startup.
 */
final class EcSignatureProvider {

    private static final Logger log = LoggerFactory.getLogger(EcSignatureProvider.class);
    private static final String ACCP = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";

    private EcSignatureProvider() {
    }

    /** ACCP when usable, else null (the JDK's default provider). */
    static @Nullable Provider choose() {
        try {
            Class<?> type = Class.forName(ACCP);
            Provider accp = (Provider) type.getField("INSTANCE").get(null);
            Throwable loadingError = (Throwable) type.getMethod("getLoadingError").invoke(accp);
            if (loadingError != null) {
                log.warn("ES256 signing: Amazon Corretto Crypto Provider is present but did not load ({}); using the JDK"
                        + " provider, about 40x slower per signature", loadingError.toString());
                return null;
            }
            type.getMethod("assertHealthy").invoke(accp);
            log.info("ES256 signing: using {} {}", accp.getName(), accp.getVersionStr());
            return accp;
        } catch (ClassNotFoundException absent) {
            log.warn("ES256 signing: Amazon Corretto Crypto Provider is not on the classpath; using the JDK provider,"
                    + " about 40x slower per signature");
            return null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log.warn("ES256 signing: Amazon Corretto Crypto Provider is unusable ({}); using the JDK provider", e.toString());
            return null;
        }
    }
}
