package io.gatehouse.gateway.forward;

import io.gatehouse.gateway.RequestContext;
import org.springframework.http.HttpHeaders;

/**
 * Removes the credential the gateway consumed before the request goes upstream: a bearer token that authenticated
 * the caller. The upstream learns who the caller is from the assertion; the token itself would let a backend (or
 * anyone who reads its logs) replay it against every other service that accepts it. An {@code Authorization}
 * header the gateway did not consume (e.g. Basic credentials on a public route) is the app's business and passes.
 */
final class ConsumedCredentials {

    private ConsumedCredentials() {
    }

    /** Removes from the upstream's headers what the gateway consumed (called on ForwardedHeaders' copy). */
    static void remove(HttpHeaders upstream, RequestContext context) {
        if (context.authKind() == RequestContext.AuthKind.BEARER) {
            upstream.remove(HttpHeaders.AUTHORIZATION);
        }
    }
}
