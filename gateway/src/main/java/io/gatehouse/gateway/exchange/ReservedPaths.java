package io.gatehouse.gateway.exchange;

/**
 * The paths that belong to the gateway on every routed host (docs/design.md, "Reserved paths"): {@code /.gatehouse/}
 * (login callback, logout, deny page assets) and {@code /.well-known/gatehouse/} (the JWKS). They are answered by
 * the gateway itself, never decided by a route's policy and never forwarded; an unknown one is a 404.
 */
public final class ReservedPaths {

    public static final String GATEHOUSE = "/.gatehouse/";
    public static final String WELL_KNOWN = "/.well-known/gatehouse/";
    public static final String JWKS = WELL_KNOWN + "jwks.json";

    private ReservedPaths() {
    }

    /** True for {@code /.gatehouse}, {@code /.gatehouse/...}, and the same under {@code /.well-known/gatehouse}. */
    public static boolean isReserved(String path) {
        return under(path, GATEHOUSE) || under(path, WELL_KNOWN);
    }

    private static boolean under(String path, String prefix) {
        return path.startsWith(prefix) || path.equals(prefix.substring(0, prefix.length() - 1));
    }
}
