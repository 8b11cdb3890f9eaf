package io.gatehouse.gateway.longlived;

import io.gatehouse.gateway.decisionlog.DecisionLogEvent;
import io.gatehouse.gateway.decisionlog.DecisionLogWriter;
import io.gatehouse.policy.Decision;
import io.gatehouse.policy.DevicePosture;
import io.gatehouse.policy.Identity;
import io.gatehouse.policy.Reason;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * The decision-log line of a re-decision (docs/design.md, "Long-lived connections"; docs/operations.md, "The decision
 * log"): the schema's line with its own request id, {@code what} and {@code where} from the upgrade, {@code who} and
 * {@code why} from the re-decision, {@code result.status} the upgrade's answer and {@code result.latency_ms} the
 * re-decision's time, and the {@code connection} member naming the connection. Never the session id (only its hash)
 * and never a token.
 */
final class ConnectionLines {

    /** What a re-decision found: the identity and device it judged, and the decision, or a refusal before one. */
    record Judged(@Nullable Identity who, @Nullable DevicePosture device, @Nullable Decision decision,
                  @Nullable Reason refusal, String policyVersion) {

        Judged(@Nullable Identity who, @Nullable DevicePosture device, Decision decision, String policyVersion) {
            this(who, device, decision, null, policyVersion);
        }

        static Judged refused(@Nullable Identity who, @Nullable DevicePosture device, Reason why, String version) {
            return new Judged(who, device, null, why, version);
        }
    }

    private final DecisionLogWriter writer;
    private final Clock clock;

    ConnectionLines(DecisionLogWriter writer, Clock clock) {
        this.writer = Objects.requireNonNull(writer, "writer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    void write(LongLivedConnection connection, Trigger trigger, Judged judged, @Nullable String close,
               long startNanos) {
        writer.submit(line(connection, trigger, judged, close, (System.nanoTime() - startNanos) / 1e6));
    }

    DecisionLogEvent line(LongLivedConnection connection, Trigger trigger, Judged judged, @Nullable String close,
                          double latencyMs) {
        LongLivedConnection.Facts facts = connection.facts();
        Identity who = judged.who();
        DecisionLogEvent.Who whoLine = new DecisionLogEvent.Who(who == null ? null : who.sub(),
                who == null ? null : who.email(), who == null ? List.of() : who.groups(),
                auth(connection.credential()), connection.credential().sessionIdHash());
        DevicePosture device = judged.device();
        double age = Duration.between(connection.openedAt(), clock.instant()).toMillis() / 1000.0;
        return new DecisionLogEvent(clock.instant().toString(), newRequestId(), null, whoLine,
                new DecisionLogEvent.What(facts.method(), facts.host(), facts.rawPath(), connection.routeId()),
                why(judged), null,
                new DecisionLogEvent.Where(facts.sourceIp(), facts.userAgent(), device == null ? null : device.id(),
                        device == null ? null : device.trust().wireName(), facts.tls()),
                new DecisionLogEvent.Result(facts.status(), Math.round(latencyMs * 100) / 100.0),
                new DecisionLogEvent.Policy(judged.policyVersion()), null, null, null,
                new DecisionLogEvent.Connection(connection.kind().wireName(), connection.requestId(),
                        trigger.wireName(), Math.round(Math.max(0, age) * 10) / 10.0, connection.redecisions(),
                        close != null, close));
    }

    private static DecisionLogEvent.Why why(Judged judged) {
        Decision decision = judged.decision();
        if (decision != null) {
            return new DecisionLogEvent.Why(decision.outcome().wireName(), decision.enforced(),
                    decision.mode().wireName(), decision.rule(), decision.reasons().stream().map(Reason::text).toList());
        }
        Reason refusal = Objects.requireNonNull(judged.refusal(), "refusal");
        return new DecisionLogEvent.Why("deny", true, null, null, List.of(refusal.text()));
    }

    private static String auth(Credential credential) {
        String kind = credential instanceof Credential.Session ? "session"
                : credential instanceof Credential.Bearer ? "bearer" : "anonymous";
        return kind.toLowerCase(Locale.ROOT);
    }

    /** A version 4 UUID from the thread's own generator, as RECORD makes them (no SecureRandom lock on a Netty thread). */
    static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0x3L << 62)) | (0x2L << 62);
        return new UUID(high, low).toString();
    }
}
