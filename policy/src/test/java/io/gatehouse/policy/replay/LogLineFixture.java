package io.gatehouse.policy.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.policy.ClaimsRead;
import io.gatehouse.policy.CompiledConfig;
import io.gatehouse.policy.Decision;
import io.gatehouse.policy.Identity;
import io.gatehouse.policy.Reason;
import io.gatehouse.policy.Request;
import io.gatehouse.policy.load.PolicyLoader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Decision-log lines in the gateway's shape (docs/decision-log.schema.json), made by deciding a request with a config
 * as the gateway does, with the facts {@link DecisionFacts} writes: the lines a replay reads.
 */
public final class LogLineFixture {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LogLineFixture() {
    }

    public static CompiledConfig config(String yaml) {
        return PolicyLoader.load("gatehouse.yaml", yaml).config();
    }

    /** The line the gateway writes when {@code config} decides {@code request}. */
    public static String line(CompiledConfig config, Request request) {
        return line(config, request, Set.of(), m -> { });
    }

    /** As {@link #line(CompiledConfig, Request)}, leaving out {@code omit} claims, then edited by {@code edit}. */
    public static String line(CompiledConfig config, Request request, Set<String> omit,
                              Consumer<Map<String, Object>> edit) {
        return write(map(config, request, DecisionFacts.of(request, config.claimsRead(), omit), edit));
    }

    /** The line the gateway writes with facts switched off. */
    public static String factsOff(CompiledConfig config, Request request) {
        return write(map(config, request, DecisionFacts.off(), m -> { }));
    }

    /** A claims-read-everything variant, for lines written by a config whose cel reads identity.claims whole. */
    public static String allClaims(CompiledConfig config, Request request) {
        return write(map(config, request, DecisionFacts.of(request, ClaimsRead.ALL, Set.of()), m -> { }));
    }

    private static Map<String, Object> map(CompiledConfig config, Request request, DecisionFacts facts,
                                           Consumer<Map<String, Object>> edit) {
        Decision d = config.decide(request);
        Identity id = request.identity();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timestamp", request.time().toString());
        m.put("request_id", UUID.randomUUID().toString());
        m.put("trace_id", null);
        Map<String, Object> who = new LinkedHashMap<>();
        who.put("subject", id == null ? null : id.sub());
        who.put("email", id == null ? null : id.email());
        who.put("groups", id == null ? java.util.List.of() : id.groups());
        who.put("auth", id == null ? "anonymous" : "bearer");
        m.put("who", who);
        Map<String, Object> what = new LinkedHashMap<>();
        what.put("method", request.method());
        what.put("host", request.url().getHost());
        what.put("path", request.url().getRawPath());
        what.put("route", d.route());
        m.put("what", what);
        Map<String, Object> why = new LinkedHashMap<>();
        why.put("decision", d.outcome().wireName());
        why.put("enforced", d.enforced());
        why.put("mode", d.mode().wireName());
        why.put("rule", d.rule());
        why.put("reasons", d.reasons().stream().map(Reason::text).toList());
        m.put("why", why);
        Map<String, Object> where = new LinkedHashMap<>();
        where.put("source_ip", request.sourceIp());
        where.put("user_agent", "curl/8");
        where.put("device_id", request.device() == null ? null : request.device().id());
        where.put("device_trust", request.device() == null ? null : request.device().trust().wireName());
        where.put("tls", "TLSv1.3");
        m.put("where", where);
        m.put("result", Map.of("status", d.letThrough() ? 200 : 403, "latency_ms", 1.25));
        m.put("policy", Map.of("version", config.version()));
        m.put("assertion_jti", null);
        m.put("facts", JSON.convertValue(facts, Map.class));
        edit.accept(m);
        return m;
    }

    private static String write(Map<String, Object> m) {
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
