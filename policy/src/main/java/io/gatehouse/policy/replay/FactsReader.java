package io.gatehouse.policy.replay;

import io.gatehouse.policy.ClaimsRead;
import io.gatehouse.policy.Request;
import io.gatehouse.policy.testing.RequestReader;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads a line's {@link DecisionFacts} back into the {@link Request} the policy was asked about, for a candidate
 * config. It answers {@link Refused} — never a guess — when the line does not carry what the candidate reads: facts
 * switched off ({@code facts-off}), a claim the operator left out ({@code claim-left-out}), a claim the gateway's
 * config did not read and so did not capture ({@code claim-not-captured}). Facts that are malformed (a missing
 * member, a wrong type) throw {@link IllegalArgumentException} naming the member: a damaged log is an error.
 */
public final class FactsReader {
    private static final Set<String> TOP = Set.of("request", "identity", "device", "device_notes", "left_out");

    /** What the facts give: a request to decide, or why the line cannot be replayed. */
    public sealed interface Result permits Rebuilt, Refused {
    }

    /** The request, rebuilt as the policy saw it. */
    public record Rebuilt(Request request) implements Result {
    }

    /** Why not: a stable {@code code} and a sentence. */
    public record Refused(String code, String reason) implements Result {
    }

    private FactsReader() {
    }

    public static Result read(Object facts, ClaimsRead candidate) {
        Map<String, Object> f = map(facts, "facts");
        for (String key : f.keySet()) {
            if (!TOP.contains(key)) {
                throw new IllegalArgumentException("facts: unknown member \"" + key + "\"; expected one of " + TOP);
            }
        }
        List<String> leftOut = strings(f.get("left_out"), "facts.left_out");
        if (leftOut.contains(DecisionFacts.ALL)) {
            return new Refused("facts-off", "the gateway wrote this line with decision facts switched off "
                    + "(gatehouse.decision-log.facts.enabled: false)");
        }
        Map<String, Object> request = new LinkedHashMap<>(map(f.get("request"), "facts.request"));
        if (request.get("time") == null) {
            throw new IllegalArgumentException("facts.request.time: missing");
        }
        Object identity = f.get("identity");
        if (identity != null) {
            Map<String, Object> id = new LinkedHashMap<>(map(identity, "facts.identity"));
            Refused refused = claims(id.remove("claims_captured"), leftOut, candidate);
            if (refused != null) {
                return refused;
            }
            request.put("identity", id);
        }
        Object device = f.get("device");
        if (device != null) {
            Map<String, Object> d = new LinkedHashMap<>(map(device, "facts.device"));
            d.remove("report_age_s"); // derived from reported_at and the time; the policy computes it again
            request.put("device", d);
        }
        request.put("device_notes", f.get("device_notes"));
        try {
            return new Rebuilt(RequestReader.read(request, Instant.EPOCH));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("facts." + e.getMessage(), e);
        }
    }

    /** Null when the line captured every claim the candidate reads; else why not. */
    private static @Nullable Refused claims(@Nullable Object captured, List<String> leftOut, ClaimsRead candidate) {
        if (captured == null) {
            throw new IllegalArgumentException("facts.identity.claims_captured: missing");
        }
        boolean capturedAll = DecisionFacts.ALL.equals(captured);
        List<String> names = capturedAll ? List.of() : strings(captured, "facts.identity.claims_captured");
        List<String> omitted = leftOut.stream().filter(s -> s.startsWith(DecisionFacts.CLAIM_PREFIX))
                .map(s -> s.substring(DecisionFacts.CLAIM_PREFIX.length())).toList();
        if (candidate.all()) {
            if (!omitted.isEmpty()) {
                return new Refused("claim-left-out", "the candidate reads every claim (a cel expression reads "
                        + "identity.claims as a whole) and the line left out claims " + omitted
                        + " (gatehouse.decision-log.facts.omit-claims)");
            }
            if (!capturedAll) {
                return new Refused("claim-not-captured", "the candidate reads every claim (a cel expression reads "
                        + "identity.claims as a whole) and the line captured only " + names);
            }
            return null;
        }
        for (String name : candidate.names()) {
            if (omitted.contains(name)) {
                return new Refused("claim-left-out", "the candidate reads claim " + name
                        + ", which the line left out (gatehouse.decision-log.facts.omit-claims)");
            }
            if (!capturedAll && !names.contains(name)) {
                return new Refused("claim-not-captured", "the candidate reads claim " + name
                        + ", which the config in force did not read, so the line did not capture it (captured: "
                        + names + ")");
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(@Nullable Object json, String where) {
        if (!(json instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(where + ": expected an object, found " + (json == null ? "null" : json));
        }
        return (Map<String, Object>) m;
    }

    private static List<String> strings(@Nullable Object json, String where) {
        if (!(json instanceof List<?> list) || list.stream().anyMatch(v -> !(v instanceof String))) {
            throw new IllegalArgumentException(where + ": expected a list of texts");
        }
        return list.stream().map(String.class::cast).toList();
    }
}
