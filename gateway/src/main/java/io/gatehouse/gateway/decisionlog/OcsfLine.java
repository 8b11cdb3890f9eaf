package io.gatehouse.gateway.decisionlog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A Gatehouse decision-log line rewritten as an OCSF 1.8.0 event of class HTTP Activity (class_uid 4002, category
 * Network Activity 4), the class AWS Verified Access and Security Lake use for access-proxy logs; the mapping is the
 * table in docs/operations.md ("Decision log for a SIEM: OCSF") and the contract docs/ocsf-http-activity.schema.json.
 * Who goes to {@code actor.user} / {@code actor.session}, what to {@code http_request} and {@code dst_endpoint}, why
 * to {@code action_id}, {@code disposition_id}, {@code status_*} and {@code policy}, where to {@code src_endpoint},
 * {@code device} and {@code tls}, the result to {@code http_response}. Every Gatehouse fact with no OCSF attribute
 * (the authentication kind, the route's mode, the device's trust, the assertion's jti, and any member a later
 * version adds) is kept under {@code unmapped} with its Gatehouse path, so nothing the line said is lost.
 *
 * <p>Works on the written line, not the event object, on the writer thread: the request path pays nothing for an
 * OCSF sink. Client text is escaped as in every decision-log line ({@link LogLineEscapes}). Throws
 * {@link IOException} for a line that is not a Gatehouse JSON object (then the writer counts it as not written).
 */
final class OcsfLine {

    /** The OCSF schema version the events follow (metadata.version). */
    static final String OCSF_VERSION = "1.8.0";
    static final int CLASS_UID = 4002;
    static final int CATEGORY_UID = 4;

    /** HTTP Activity's activity_id: the method's index + 1 (OCSF 1.8.0 events/network/http_activity.json). */
    private static final List<String> METHODS = List.of("CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "POST",
            "PUT", "TRACE", "PATCH");
    private static final ObjectMapper JSON = new ObjectMapper(
            new JsonFactory().setCharacterEscapes(new LogLineEscapes()));

    private final String productVersion;

    OcsfLine(String productVersion) {
        this.productVersion = Objects.requireNonNull(productVersion, "productVersion");
    }

    /** The product version Gatehouse reports: the jar's Implementation-Version, or "dev" when run from classes. */
    static OcsfLine forThisBuild() {
        String version = OcsfLine.class.getPackage().getImplementationVersion();
        return new OcsfLine(version == null ? "dev" : version);
    }

    /** The OCSF line for one Gatehouse line. */
    String render(String gatehouseLine) throws IOException {
        if (!(JSON.readTree(gatehouseLine) instanceof ObjectNode in)) {
            throw new IOException("not a decision-log line (a JSON object): cannot render it as OCSF");
        }
        return JSON.writeValueAsString(map(in));
    }

    /** Maps {@code in}, removing every member it maps; what is left goes to {@code unmapped}. */
    ObjectNode map(ObjectNode in) throws IOException {
        ObjectNode out = JSON.createObjectNode();
        String method = text(take(in, "what", "method"));
        int activity = activityId(method);
        String activityName = activity == 0 ? "Unknown" : activity == 99 ? "Other"
                : caption(METHODS.get(activity - 1));
        out.put("activity_id", activity).put("activity_name", activityName)
                .put("category_uid", CATEGORY_UID).put("category_name", "Network Activity")
                .put("class_uid", CLASS_UID).put("class_name", "HTTP Activity")
                .put("type_uid", CLASS_UID * 100L + activity).put("type_name", "HTTP Activity: " + activityName);
        out.put("time", epochMillis(text(take(in, "timestamp"))));

        String decision = text(take(in, "why", "decision"));
        JsonNode enforcedNode = take(in, "why", "enforced");
        boolean allowed = "allow".equals(decision);
        boolean enforced = enforcedNode == null || enforcedNode.asBoolean(true);
        boolean letThrough = allowed || !enforced;
        // A deny in audit mode went through: allowed by the proxy, but logged as a deny the policy would have made.
        out.put("action_id", letThrough ? 1 : 2).put("action", letThrough ? "Allowed" : "Denied");
        int disposition = allowed ? 1 : enforced ? 2 : 17;
        out.put("disposition_id", disposition)
                .put("disposition", allowed ? "Allowed" : enforced ? "Blocked" : "Logged");
        out.put("status_id", allowed ? 1 : 2).put("status", allowed ? "Success" : "Failure");
        out.put("severity_id", allowed ? 1 : enforced ? 2 : 3)
                .put("severity", allowed ? "Informational" : enforced ? "Low" : "Medium");
        List<String> reasons = texts(take(in, "why", "reasons"));
        String rule = text(take(in, "why", "rule"));

        String host = text(take(in, "what", "host"));
        String path = text(take(in, "what", "path"));
        String route = text(take(in, "what", "route"));
        out.put("message", message(decision, method, host, path, route, rule, reasons));
        if (!reasons.isEmpty()) {
            out.put("status_detail", String.join("; ", reasons));
        }

        ObjectNode metadata = out.putObject("metadata");
        metadata.put("version", OCSF_VERSION);
        metadata.putObject("product").put("name", "Gatehouse").put("vendor_name", "Gatehouse")
                .put("version", productVersion);
        putText(metadata, "uid", text(take(in, "request_id")));
        metadata.put("log_name", "decision");
        metadata.putArray("profiles").add("host").add("security_control").add("trace");

        actor(in, out);

        ObjectNode request = out.putObject("http_request");
        putText(request, "http_method", method);
        putText(request, "user_agent", text(take(in, "where", "user_agent")));
        ObjectNode url = request.putObject("url");
        putText(url, "hostname", host);
        putText(url, "path", path);
        url.put("scheme", "https");
        if (host != null) {
            url.put("url_string", "https://" + host + (path == null ? "" : path));
        }
        ObjectNode dst = out.putObject("dst_endpoint");
        putText(dst, "hostname", host);
        putText(dst, "svc_name", route);
        if (dst.isEmpty()) {
            out.remove("dst_endpoint");
        }

        JsonNode status = take(in, "result", "status");
        JsonNode latency = take(in, "result", "latency_ms");
        ObjectNode response = out.putObject("http_response");
        if (status != null && status.canConvertToInt()) {
            response.put("code", status.asInt());
            out.put("http_status", status.asInt());
            out.put("status_code", Integer.toString(status.asInt()));
        } else {
            response.put("code", 0);
        }
        if (latency != null && latency.isNumber()) {
            response.put("latency", Math.round(latency.asDouble()));
        }

        String sourceIp = text(take(in, "where", "source_ip"));
        ObjectNode src = out.putObject("src_endpoint");
        // OCSF needs one of ip/uid/name/hostname...: a line without an address (never written today) says "unknown".
        src.put(sourceIp == null ? "name" : "ip", sourceIp == null ? "unknown" : sourceIp);
        String device = text(take(in, "where", "device_id"));
        if (device != null) {
            out.putObject("device").put("uid", device).put("type_id", 0).put("type", "Unknown");
        }
        String tls = text(take(in, "where", "tls"));
        if (tls != null) {
            out.putObject("tls").put("version", tls);
        }
        String trace = text(take(in, "trace_id"));
        if (trace != null) {
            out.putObject("trace").put("uid", trace);
        }
        ObjectNode policy = out.putObject("policy");
        policy.put("name", rule == null ? "no rule matched" : rule);
        putText(policy, "uid", route);
        putText(policy, "version", text(take(in, "policy", "version")));
        policy.put("is_applied", enforced);
        if (!reasons.isEmpty()) {
            policy.put("desc", String.join("; ", reasons));
        }

        prune(in);
        if (!in.isEmpty()) {
            out.set("unmapped", in);
        }
        return out;
    }

    private static void actor(ObjectNode in, ObjectNode out) {
        String subject = text(take(in, "who", "subject"));
        String email = text(take(in, "who", "email"));
        List<String> groups = texts(take(in, "who", "groups"));
        String session = text(take(in, "who", "session"));
        ObjectNode actor = JSON.createObjectNode();
        if (subject != null || email != null) {
            ObjectNode user = actor.putObject("user");
            putText(user, "uid", subject);
            putText(user, "name", email != null ? email : subject);
            putText(user, "email_addr", email);
            if (!groups.isEmpty()) {
                ArrayNode list = user.putArray("groups");
                groups.forEach(g -> list.addObject().put("name", g));
            }
        }
        if (session != null) {
            actor.putObject("session").put("uid", session);
        }
        if (!actor.isEmpty()) {
            out.set("actor", actor);
        }
    }

    private static String message(@Nullable String decision, @Nullable String method, @Nullable String host,
                                  @Nullable String path, @Nullable String route, @Nullable String rule,
                                  List<String> reasons) {
        StringBuilder m = new StringBuilder();
        m.append(decision == null ? "decided" : decision).append(' ').append(method == null ? "?" : method)
                .append(' ').append(host == null ? "" : host).append(path == null ? "" : path);
        if (route != null) {
            m.append(" on route ").append(route);
        }
        if (rule != null) {
            m.append(" by rule ").append(rule);
        }
        if (!reasons.isEmpty()) {
            m.append(": ").append(String.join("; ", reasons));
        }
        return m.toString();
    }

    static int activityId(@Nullable String method) {
        if (method == null) {
            return 0;
        }
        int i = METHODS.indexOf(method.toUpperCase(Locale.ROOT));
        return i < 0 ? 99 : i + 1;
    }

    private static String caption(String method) {
        return method.charAt(0) + method.substring(1).toLowerCase(Locale.ROOT);
    }

    private static long epochMillis(@Nullable String timestamp) throws IOException {
        if (timestamp == null) {
            throw new IOException("decision-log line without a timestamp: OCSF needs time");
        }
        try {
            return Instant.parse(timestamp).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IOException("decision-log timestamp " + timestamp + " is not an ISO-8601 instant", e);
        }
    }

    /** Removes {@code path} from {@code in} and returns it; null when absent. */
    private static @Nullable JsonNode take(ObjectNode in, String... path) {
        ObjectNode node = in;
        for (int i = 0; i < path.length - 1; i++) {
            if (!(node.get(path[i]) instanceof ObjectNode child)) {
                return null;
            }
            node = child;
        }
        return node.remove(path[path.length - 1]);
    }

    private static @Nullable String text(@Nullable JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static List<String> texts(@Nullable JsonNode node) {
        List<String> all = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(n -> all.add(n.asText()));
        }
        return all;
    }

    private static void putText(ObjectNode node, String name, @Nullable String value) {
        if (value != null) {
            node.put(name, value);
        }
    }

    /** Drops nulls and objects left empty, so {@code unmapped} holds only facts. */
    private static void prune(ObjectNode node) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue() instanceof ObjectNode child) {
                prune(child);
            }
            if (field.getValue().isNull() || field.getValue() instanceof ObjectNode o && o.isEmpty()) {
                fields.remove();
            }
        }
    }
}
