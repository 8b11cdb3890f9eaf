package io.gatehouse.gateway.device;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.springframework.core.codec.DecodingException;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Gets the posture client's OAuth2 client-credentials token ({@code scope=posture:read}, client authentication
 * {@code client_secret_basic}) from {@code gatehouse.inventory.token-uri} and reuses it until 30 s before it expires.
 * One fetch is shared by concurrent callers; a failed fetch is not cached. {@link #invalidate()} drops it (after a
 * 401 from the inventory).
 */
final class InventoryTokenClient {

    private static final Duration MARGIN = Duration.ofSeconds(30);

    private final WebClient web;
    private final URI tokenUri;
    private final String clientId;
    private final String clientSecret;
    private final String scope;
    private volatile Mono<String> token;

    InventoryTokenClient(WebClient web, URI tokenUri, String clientId, String clientSecret, String scope) {
        this.web = Objects.requireNonNull(web, "web");
        this.tokenUri = Objects.requireNonNull(tokenUri, "tokenUri");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
        this.scope = Objects.requireNonNull(scope, "scope");
        this.token = fresh();
    }

    Mono<String> token() {
        return token;
    }

    void invalidate() {
        token = fresh();
    }

    private Mono<String> fresh() {
        return web.post().uri(tokenUri)
                .headers(h -> h.setBasicAuth(clientId, clientSecret))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .accept(MediaType.APPLICATION_JSON)
                .body(BodyInserters.fromFormData("grant_type", "client_credentials").with("scope", scope))
                .retrieve()
                .bodyToMono(JsonNode.class)
                .map(json -> {
                    String accessToken = json.path("access_token").asText("");
                    if (accessToken.isEmpty()) {
                        // the token endpoint failing, not a bug: the posture lookup counts it as unreachable
                        throw new DecodingException("token endpoint answered without access_token");
                    }
                    long expiresIn = json.path("expires_in").asLong(60);
                    return new Token(accessToken, Duration.ofSeconds(expiresIn));
                })
                .cache(t -> t.lifetime().compareTo(MARGIN.multipliedBy(2)) > 0 ? t.lifetime().minus(MARGIN)
                                : t.lifetime().dividedBy(2),
                        error -> Duration.ZERO, () -> Duration.ZERO)
                .map(Token::value);
    }

    private record Token(String value, Duration lifetime) {
    }
}
