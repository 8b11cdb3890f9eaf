package io.gatehouse.gateway.decisionservice;

import io.gatehouse.gateway.exchange.Addresses;
import io.gatehouse.gateway.exchange.TrustedProxies;
import java.net.InetSocketAddress;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Whom the decision service believes (docs/design-next.md §2.2), decided from the connection alone, before anything
 * in the request is read: a caller is trusted by its client certificate (a URI or DNS subject alternative name equal
 * to one of {@code gatehouse.authz.callers[i].san}; the listener's TLS has already verified that the certificate
 * chains to {@code gatehouse.authz.client-ca}) or by its TCP source address in {@code callers[i].cidrs}. Anyone else
 * is refused: its {@code X-Original-URL}, {@code X-Forwarded-*} and forwarded certificate are never read. Immutable
 * and thread-safe; a bad CIDR fails construction with its value.
 */
public final class CallerTrust {

    private static final int SAN_DNS = 2;
    private static final int SAN_URI = 6;

    private record Entry(AuthzProperties.TrustedCaller caller, TrustedProxies cidrs) {
    }

    private final List<Entry> entries;

    public CallerTrust(List<AuthzProperties.TrustedCaller> callers) {
        List<Entry> parsed = new ArrayList<>();
        for (int i = 0; i < callers.size(); i++) {
            AuthzProperties.TrustedCaller caller = callers.get(i);
            String key = "gatehouse.authz.callers[" + i + "].cidrs";
            parsed.add(new Entry(caller, new TrustedProxies(caller.cidrs(), key)));
        }
        this.entries = List.copyOf(parsed);
    }

    /**
     * The trusted caller of this connection, or empty.
     *
     * @param remote       the TCP peer
     * @param verifiedPeer the client certificate the listener's TLS verified against the client CA, or null
     */
    public Optional<Caller> identify(@Nullable InetSocketAddress remote, @Nullable X509Certificate verifiedPeer) {
        List<String> names = verifiedPeer == null ? List.of() : subjectAltNames(verifiedPeer);
        for (Entry entry : entries) {
            for (String san : entry.caller().san()) {
                for (String name : names) {
                    if (name.equals(san) || (name.indexOf(':') < 0 && name.equalsIgnoreCase(san))) {
                        return Optional.of(new Caller(san, Caller.How.CERTIFICATE));
                    }
                }
            }
        }
        for (Entry entry : entries) {
            if (entry.caller().san().isEmpty() && entry.cidrs().trusts(remote)) {
                return Optional.of(new Caller(address(remote), Caller.How.ADDRESS));
            }
        }
        return Optional.empty();
    }

    /** How a refused caller is named in the log: its certificate's first SAN, else its address. */
    public static String describe(@Nullable InetSocketAddress remote, @Nullable X509Certificate peer) {
        List<String> names = peer == null ? List.of() : subjectAltNames(peer);
        return names.isEmpty() ? address(remote) : names.get(0);
    }

    /** The address of the peer as text; "0.0.0.0" when unknown. */
    public static String address(@Nullable InetSocketAddress remote) {
        return remote == null || remote.getAddress() == null ? "0.0.0.0" : Addresses.ip(remote.getAddress());
    }

    /** The URI and DNS subject alternative names of a certificate (DNS lower-cased), in order. */
    static List<String> subjectAltNames(X509Certificate certificate) {
        Objects.requireNonNull(certificate, "certificate");
        Collection<List<?>> all;
        try {
            all = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return List.of();
        }
        if (all == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (List<?> entry : all) {
            if (entry.size() >= 2 && entry.get(0) instanceof Integer type && entry.get(1) instanceof String value) {
                if (type == SAN_URI) {
                    names.add(value);
                } else if (type == SAN_DNS) {
                    names.add(value.toLowerCase(Locale.ROOT));
                }
            }
        }
        return names;
    }
}
