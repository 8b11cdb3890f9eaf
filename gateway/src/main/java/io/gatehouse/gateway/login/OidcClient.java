package io.gatehouse.gateway.login;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.claims.LogoutTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.Prompt;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import com.nimbusds.openid.connect.sdk.validators.LogoutTokenValidator;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.oauth2.sdk.GeneralException;
import io.gatehouse.gateway.Failures;
import io.gatehouse.gateway.claims.ClaimsMapper;
import io.gatehouse.gateway.session.TokenRefresher;
import io.gatehouse.policy.Identity;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The gateway as an OIDC relying party, on top of Nimbus oauth2-oidc-sdk. Discovery is fetched on first use and kept
 * (a failed fetch is retried on the next login, so an IdP that is down at startup does not stop the gateway); every
 * call to the IdP runs on the bounded-elastic scheduler with short timeouts, never on an event-loop thread. ID
 * tokens are checked for signature (JWKS), iss, aud, exp, iat and nonce; logout tokens for signature, iss, aud, iat,
 * the back-channel {@code events} claim, no nonce, and a {@code sid} or {@code sub}.
 */
public final class OidcClient implements TokenRefresher {

    private static final int CONNECT_MS = 2_000;
    private static final int READ_MS = 5_000;

    /** What a successful login produced: the ID token's claims and the identity they name ({@link ClaimsMapper}). */
    public record Login(IDTokenClaimsSet claims, Identity identity, String idToken, @Nullable String refreshToken,
                        Instant accessExpiresAt) {
    }

    private final OidcProperties properties;
    private final Clock clock;
    private final ClientID clientId;
    private final ClaimsMapper claimsMapper;
    private volatile @Nullable Provider provider;

    private record Provider(OIDCProviderMetadata metadata, IDTokenValidator idTokens, LogoutTokenValidator logoutTokens) {
    }

    public OidcClient(OidcProperties properties, Clock clock) {
        this.properties = Objects.requireNonNull(properties, "properties");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.clientId = new ClientID(Objects.requireNonNull(properties.clientId(), "gatehouse.oidc.client-id"));
        this.claimsMapper = new ClaimsMapper(properties.claimsRules());
    }

    /** The IdP's discovery document; an error when the IdP cannot be reached. */
    public Mono<OIDCProviderMetadata> metadata() {
        return provider().map(Provider::metadata);
    }

    private Mono<Provider> provider() {
        Provider known = provider;
        if (known != null) {
            return Mono.just(known);
        }
        return blocking(() -> {
            OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(properties.issuerUri()), CONNECT_MS, READ_MS);
            var retriever = new DefaultResourceRetriever(CONNECT_MS, READ_MS);
            JWSAlgorithm alg = JWSAlgorithm.parse(properties.idTokenAlgorithm());
            var jwks = metadata.getJWKSetURI().toURL();
            Provider next = new Provider(metadata,
                    new IDTokenValidator(metadata.getIssuer(), clientId, alg, jwks, retriever),
                    new LogoutTokenValidator(metadata.getIssuer(), clientId, alg, jwks, retriever));
            provider = next;
            return next;
        });
    }

    /** The authorization request URL; {@code stepUp} adds {@code max_age=0} and {@code prompt=login}. */
    public Mono<URI> authorizationUrl(URI redirectUri, String state, String nonce, String codeVerifier, boolean stepUp) {
        return metadata().map(metadata -> {
            var builder = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope(properties.scopes().toArray(String[]::new)),
                    clientId, redirectUri)
                    .endpointURI(metadata.getAuthorizationEndpointURI())
                    .state(new State(state))
                    .nonce(new Nonce(nonce))
                    .codeChallenge(new CodeVerifier(codeVerifier), CodeChallengeMethod.S256);
            if (stepUp) {
                builder.maxAge(0).prompt(new Prompt(Prompt.Type.LOGIN));
            }
            return builder.build().toURI();
        });
    }

    /** Redeems the code (with the PKCE verifier) and validates the ID token against {@code nonce}. */
    public Mono<Login> redeem(String code, URI redirectUri, String codeVerifier, String nonce) {
        return provider().flatMap(p -> blocking(() -> {
            OIDCTokens tokens = tokens(p, new AuthorizationCodeGrant(new AuthorizationCode(code), redirectUri,
                    new CodeVerifier(codeVerifier)));
            if (tokens.getIDToken() == null) {
                throw new TokenRefresher.Rejected("the token response has no id_token");
            }
            IDTokenClaimsSet claims = p.idTokens().validate(tokens.getIDToken(), new Nonce(nonce));
            return new Login(claims, claimsMapper.identity(claims.toJWTClaimsSet().getClaims()),
                    tokens.getIDTokenString(), refreshOf(tokens), accessExpiry(tokens));
        }));
    }

    @Override
    public Mono<Refreshed> refresh(String refreshToken) {
        return provider().flatMap(p -> blocking(() -> {
            OIDCTokens tokens = tokens(p, new RefreshTokenGrant(new RefreshToken(refreshToken)));
            JWTClaimsSet claims = null;
            if (tokens.getIDToken() != null) {
                claims = p.idTokens().validate(tokens.getIDToken(), null).toJWTClaimsSet();
            } else {
                claims = JWTParser.parse(tokens.getAccessToken().getValue()).getJWTClaimsSet();
            }
            return new Refreshed(claimsMapper.identity(claims.getClaims()), refreshOf(tokens),
                    tokens.getIDTokenString(), accessExpiry(tokens));
        })).onErrorMap(OidcClient::isIdpFailure, TokenRefresher.Unreachable::new);
    }

    /**
     * Whether {@code error} is the IdP failing rather than a bug: failed I/O or a timeout, an answer Nimbus could not
     * parse ({@link GeneralException}, {@link java.text.ParseException}) or a token it could not verify, its keys
     * included ({@link JOSEException}, {@link BadJOSEException}). {@link TokenRefresher.Rejected} is not one: the IdP
     * answered.
     */
    public static boolean isIdpFailure(Throwable error) {
        return error instanceof TokenRefresher.Unreachable || Failures.io(error)
                || Failures.causedBy(error, GeneralException.class, java.text.ParseException.class,
                JOSEException.class, BadJOSEException.class);
    }

    /** Validates a back-channel logout token. */
    public Mono<LogoutTokenClaimsSet> validateLogoutToken(String logoutToken) {
        return provider().flatMap(p -> blocking(() -> {
            JWT jwt = JWTParser.parse(logoutToken);
            return p.logoutTokens().validate(jwt);
        }));
    }

    private OIDCTokens tokens(Provider p, AuthorizationGrant grant) throws Exception {
        var auth = new ClientSecretBasic(clientId, new Secret(Objects.requireNonNullElse(properties.clientSecret(), "")));
        HTTPRequest http = new TokenRequest(p.metadata().getTokenEndpointURI(), auth, grant).toHTTPRequest();
        http.setConnectTimeout(CONNECT_MS);
        http.setReadTimeout(READ_MS);
        TokenResponse response = OIDCTokenResponseParser.parse(http.send());
        if (!response.indicatesSuccess()) {
            var error = response.toErrorResponse().getErrorObject();
            throw new TokenRefresher.Rejected("token endpoint answered " + error.getHTTPStatusCode() + " " + error.getCode());
        }
        return ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens();
    }

    private static @Nullable String refreshOf(OIDCTokens tokens) {
        return tokens.getRefreshToken() == null ? null : tokens.getRefreshToken().getValue();
    }

    private Instant accessExpiry(OIDCTokens tokens) {
        long lifetime = tokens.getAccessToken().getLifetime();
        return clock.instant().plusSeconds(lifetime > 0 ? lifetime : 300);
    }

    private static <T> Mono<T> blocking(Callable<T> call) {
        return Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic());
    }
}
