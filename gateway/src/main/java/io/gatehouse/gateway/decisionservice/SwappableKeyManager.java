package io.gatehouse.gateway.decisionservice;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;

/**
 * A server key manager whose certificate and key can be replaced while listeners use it ({@link AuthzTls}). The JDK
 * and Netty's OpenSSL/BoringSSL engines ask the key manager on every handshake, so after {@link #swap} new
 * connections get the new certificate while open ones keep theirs. The alias handed out carries the generation it was
 * chosen from ({@code "<generation>:<alias>"}), so a handshake that chose its alias just before a swap still gets the
 * certificate and the key of <em>one</em> pair (the previous generation is kept for that), never a mix. Server side
 * only: the client methods choose nothing.
 */
final class SwappableKeyManager extends X509ExtendedKeyManager {

    private record Generation(long number, X509ExtendedKeyManager keys) {
    }

    private volatile Generation current;
    private volatile @Nullable Generation previous;

    SwappableKeyManager(X509ExtendedKeyManager keys) {
        this.current = new Generation(0, Objects.requireNonNull(keys, "keys"));
    }

    /** Puts {@code next} in force for the handshakes that start from now on. */
    synchronized void swap(X509ExtendedKeyManager next) {
        Objects.requireNonNull(next, "next");
        Generation now = current;
        previous = now;
        current = new Generation(now.number() + 1, next);
    }

    private static @Nullable String tagged(Generation generation, @Nullable String alias) {
        return alias == null ? null : generation.number() + ":" + alias;
    }

    /** The generation and the delegate's alias named by a tagged alias; null when it is neither of the last two. */
    private @Nullable X509ExtendedKeyManager keysOf(@Nullable String alias) {
        int colon = alias == null ? -1 : alias.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        long number;
        try {
            number = Long.parseLong(alias.substring(0, colon));
        } catch (NumberFormatException e) {
            return null;
        }
        Generation now = current;
        Generation before = previous;
        if (now.number() == number) {
            return now.keys();
        }
        return before != null && before.number() == number ? before.keys() : null;
    }

    private static String untagged(String alias) {
        return alias.substring(alias.indexOf(':') + 1);
    }

    @Override
    public @Nullable String chooseServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
        Generation now = current;
        return tagged(now, now.keys().chooseServerAlias(keyType, issuers, socket));
    }

    @Override
    public @Nullable String chooseEngineServerAlias(String keyType, Principal @Nullable [] issuers,
                                                    @Nullable SSLEngine engine) {
        Generation now = current;
        return tagged(now, now.keys().chooseEngineServerAlias(keyType, issuers, engine));
    }

    @Override
    public String @Nullable [] getServerAliases(String keyType, Principal @Nullable [] issuers) {
        Generation now = current;
        String[] aliases = now.keys().getServerAliases(keyType, issuers);
        return aliases == null ? null : Arrays.stream(aliases).map(a -> tagged(now, a)).toArray(String[]::new);
    }

    @Override
    public X509Certificate @Nullable [] getCertificateChain(@Nullable String alias) {
        X509ExtendedKeyManager keys = keysOf(alias);
        return keys == null ? null : keys.getCertificateChain(untagged(alias));
    }

    @Override
    public @Nullable PrivateKey getPrivateKey(@Nullable String alias) {
        X509ExtendedKeyManager keys = keysOf(alias);
        return keys == null ? null : keys.getPrivateKey(untagged(alias));
    }

    @Override
    public String @Nullable [] getClientAliases(String keyType, Principal @Nullable [] issuers) {
        return null;
    }

    @Override
    public @Nullable String chooseClientAlias(String[] keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
        return null;
    }

    @Override
    public @Nullable String chooseEngineClientAlias(String[] keyType, Principal @Nullable [] issuers,
                                                    @Nullable SSLEngine engine) {
        return null;
    }
}
