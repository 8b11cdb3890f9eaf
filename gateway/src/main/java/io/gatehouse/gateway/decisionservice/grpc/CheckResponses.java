package io.gatehouse.gateway.decisionservice.grpc;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.Status;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.envoyproxy.envoy.service.auth.v3.DeniedHttpResponse;
import io.envoyproxy.envoy.service.auth.v3.OkHttpResponse;
import io.envoyproxy.envoy.type.v3.HttpStatus;
import io.envoyproxy.envoy.type.v3.StatusCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The {@code CheckResponse}s Gatehouse gives Envoy (docs/design-next.md 2.4), as pure functions:
 * <ul>
 *   <li>allow: {@code status} OK; {@code ok_response.headers} sets {@code x-gatehouse-assertion} with
 *       {@code OVERWRITE_IF_EXISTS_OR_ADD} (a client-sent one is replaced, never appended to), and {@code cookie}
 *       without Gatehouse's own cookies when the client sent one of them ({@link #upstreamCookie});
 *       {@code ok_response.headers_to_remove} names the inbound headers the upstream must not see
 *       ({@link #headersToRemove});</li>
 *   <li>every other answer: {@code status} PERMISSION_DENIED and a {@code denied_response} with the HTTP status, the
 *       headers and the body the client is to get (302 login, 401, 403, 404, 400, 503);</li>
 *   <li>both: the top-level {@code dynamic_metadata} (request id, route, rule, decision, policy version) for Envoy's
 *       access log as {@code %DYNAMIC_METADATA(envoy.filters.http.ext_authz:rule)%}. The deprecated
 *       {@code ok_response.dynamic_metadata} is never set: it would override this one.</li>
 * </ul>
 * A Gatehouse fault is not a {@code CheckResponse} at all but the gRPC status INTERNAL ({@code GrpcCheckService}),
 * on which Envoy with {@code failure_mode_allow: false} denies.
 */
public final class CheckResponses {

    /** The assertion header, in the lower case Envoy uses for HTTP/2 and its header maps. */
    public static final String ASSERTION_HEADER = "x-gatehouse-assertion";

    private CheckResponses() {
    }

    /** One response header of a denied answer. */
    public record Header(String name, String value) {
        public Header {
            name = Objects.requireNonNull(name, "name").toLowerCase(Locale.ROOT);
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * What Envoy's access log gets in {@code dynamic_metadata}: the request id always; the route, rule, decision
     * ({@code allow}/{@code deny}, or the refusal code when no policy was asked) and policy version when known.
     */
    public record Metadata(String requestId, @Nullable String route, @Nullable String rule, String decision,
                           @Nullable String policyVersion) {
        public Metadata {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(decision, "decision");
        }

        /** A struct with a string member per known value; unknown ones are left out (Envoy prints {@code -}). */
        public Struct struct() {
            Struct.Builder struct = Struct.newBuilder();
            put(struct, "request_id", requestId);
            put(struct, "route", route);
            put(struct, "rule", rule);
            put(struct, "decision", decision);
            put(struct, "policy_version", policyVersion);
            return struct.build();
        }

        private static void put(Struct.Builder struct, String name, @Nullable String value) {
            if (value != null) {
                struct.putFields(name, Value.newBuilder().setStringValue(value).build());
            }
        }
    }

    /**
     * Allow: OK, the assertion set over any client-sent one (none when {@code assertion} is null), the named headers
     * removed.
     */
    public static CheckResponse allow(@Nullable String assertion, Collection<String> headersToRemove,
                                      Metadata metadata) {
        return allow(assertion, null, headersToRemove, metadata);
    }

    /**
     * As {@link #allow(String, Collection, Metadata)}, and {@code cookie} set in place of the client's when not null
     * (the client's cookies without Gatehouse's, design-next Q2).
     */
    public static CheckResponse allow(@Nullable String assertion, @Nullable String cookie,
                                      Collection<String> headersToRemove, Metadata metadata) {
        OkHttpResponse.Builder ok = OkHttpResponse.newBuilder();
        if (assertion != null) {
            ok.addHeaders(option(ASSERTION_HEADER, assertion));
        }
        if (cookie != null) {
            ok.addHeaders(option("cookie", cookie));
        }
        ok.addAllHeadersToRemove(headersToRemove);
        return CheckResponse.newBuilder()
                .setStatus(Status.newBuilder().setCode(io.grpc.Status.Code.OK.value()))
                .setOkResponse(ok)
                .setDynamicMetadata(metadata.struct())
                .build();
    }

    /**
     * Deny: PERMISSION_DENIED, and the HTTP answer Envoy gives the client in Gatehouse's stead: {@code status} (one
     * of Envoy's {@code StatusCode}s: 302, 400, 401, 403, 404, 500, 503, ...), the headers (each set, replacing any
     * of the same name Envoy would add), and the body (empty for a redirect).
     *
     * @throws IllegalArgumentException when {@code status} is not an HTTP status Envoy's API names
     */
    public static CheckResponse denied(int status, List<Header> headers, byte[] body, Metadata metadata) {
        StatusCode code = StatusCode.forNumber(status);
        if (code == null || code == StatusCode.Empty) {
            throw new IllegalArgumentException("HTTP status " + status + " has no envoy.type.v3.StatusCode");
        }
        DeniedHttpResponse.Builder denied = DeniedHttpResponse.newBuilder()
                .setStatus(HttpStatus.newBuilder().setCode(code))
                .setBody(new String(body, StandardCharsets.UTF_8));
        for (Header header : headers) {
            denied.addHeaders(option(header.name(), header.value()));
        }
        return CheckResponse.newBuilder()
                .setStatus(Status.newBuilder().setCode(io.grpc.Status.Code.PERMISSION_DENIED.value())
                        .setMessage("denied by gatehouse: HTTP " + status))
                .setDeniedResponse(denied)
                .setDynamicMetadata(metadata.struct())
                .build();
    }

    /**
     * The inbound headers an allowed request must lose before it goes upstream, in lower case and sorted: every
     * name {@code mustRemove} judges (hygiene's list: {@code x-gatehouse-*} in any spelling, path and method
     * overrides, other proxies' identity headers) except {@code x-gatehouse-assertion} itself when an assertion
     * is set (Envoy removes after it sets, so naming it would remove ours; the set replaces a client-sent one);
     * and {@code authorization} when the bearer token in it was consumed (the upstream learns the caller from the
     * assertion, never from a replayable token).
     */
    public static List<String> headersToRemove(Collection<String> inboundNames, Predicate<String> mustRemove,
                                               boolean assertionSet, boolean bearerConsumed) {
        TreeSet<String> remove = new TreeSet<>();
        for (String name : inboundNames) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (mustRemove.test(lower) && !(assertionSet && lower.equals(ASSERTION_HEADER))) {
                remove.add(lower);
            }
        }
        if (bearerConsumed) {
            remove.add("authorization");
        }
        return new ArrayList<>(remove);
    }

    /**
     * The upstream's {@code Cookie} (design-next Q2, docs/decision-service.md): the client's cookies without
     * Gatehouse's {@code __Host-gatehouse} and {@code __Host-gatehouse-login}, joined with {@code "; "}, when the
     * request sent one of Gatehouse's (possibly empty: then the header is to be removed); null when there is nothing
     * to change (no cookie of Gatehouse's was sent).
     *
     * @param cookieHeaders the described request's {@code Cookie} values
     * @param ours          which cookie names are Gatehouse's
     */
    public static @Nullable String upstreamCookie(List<String> cookieHeaders, Predicate<String> ours) {
        List<String> kept = new ArrayList<>();
        boolean stripped = false;
        for (String header : cookieHeaders) {
            for (String pair : header.split(";")) {
                String trimmed = pair.trim();
                int eq = trimmed.indexOf('=');
                String name = (eq < 0 ? trimmed : trimmed.substring(0, eq)).trim();
                if (trimmed.isEmpty()) {
                    continue;
                }
                if (ours.test(name)) {
                    stripped = true;
                } else {
                    kept.add(trimmed);
                }
            }
        }
        return stripped ? String.join("; ", kept) : null;
    }

    private static HeaderValueOption option(String name, String value) {
        return HeaderValueOption.newBuilder()
                .setHeader(HeaderValue.newBuilder().setKey(name).setValue(value))
                .setAppendAction(HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD)
                .build();
    }
}
