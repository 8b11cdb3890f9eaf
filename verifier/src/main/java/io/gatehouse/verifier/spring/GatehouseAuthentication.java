package io.gatehouse.verifier.spring;

import io.gatehouse.verifier.GatehouseIdentity;
import java.util.List;
import java.util.Objects;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A request authenticated by a verified Gatehouse assertion. The principal is the {@link
 * GatehouseIdentity}; the name is its subject; each group {@code g} becomes the authority {@code
 * GROUP_g} (so {@code hasAuthority("GROUP_finance")}), and a presented device adds {@code
 * DEVICE_TRUST_<trust>}. There are no credentials: the assertion is not kept. Build it with {@link #of}, which
 * turns an anonymous assertion (a {@code public: true} route, nobody signed in) into Spring's anonymous
 * authentication, so {@code authenticated()} rules never let it pass.
 */
public final class GatehouseAuthentication extends AbstractAuthenticationToken {
    private static final long serialVersionUID = 1L;

    /** Prefix of the authority made from each group. */
    public static final String GROUP_PREFIX = "GROUP_";
    /** Prefix of the authority made from the device's trust level. */
    public static final String DEVICE_TRUST_PREFIX = "DEVICE_TRUST_";

    private final GatehouseIdentity identity;

    /** The authentication for a verified assertion: anonymous ones become an {@link AnonymousAuthenticationToken}. */
    public static Authentication of(GatehouseIdentity identity) {
        Objects.requireNonNull(identity, "identity");
        if (identity.anonymous()) {
            return new AnonymousAuthenticationToken("gatehouse", identity,
                    List.of(new SimpleGrantedAuthority("ROLE_ANONYMOUS")));
        }
        return new GatehouseAuthentication(identity);
    }

    public GatehouseAuthentication(GatehouseIdentity identity) {
        super(authorities(Objects.requireNonNull(identity, "identity")));
        this.identity = identity;
        setAuthenticated(true);
    }

    private static List<GrantedAuthority> authorities(GatehouseIdentity identity) {
        var authorities = new java.util.ArrayList<GrantedAuthority>();
        identity.groups().forEach(g -> authorities.add(new SimpleGrantedAuthority(GROUP_PREFIX + g)));
        if (identity.device() != null) {
            authorities.add(new SimpleGrantedAuthority(DEVICE_TRUST_PREFIX + identity.device().trust()));
        }
        return authorities;
    }

    @Override
    public GatehouseIdentity getPrincipal() {
        return identity;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public String getName() {
        return identity.subject();
    }

    public GatehouseIdentity identity() {
        return identity;
    }
}
