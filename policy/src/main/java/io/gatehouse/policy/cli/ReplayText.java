package io.gatehouse.policy.cli;

import io.gatehouse.policy.Reason;
import io.gatehouse.policy.replay.LineReplay.Kind;
import io.gatehouse.policy.replay.LineReplay.Logged;
import io.gatehouse.policy.replay.ReplayReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** The text report of {@code replay}: a header, the counts, why lines cannot replay, then each listed flip. */
final class ReplayText {
    private ReplayText() {
    }

    static void print(PrintWriter out, ReplayReport report, Path log, Path config, String version) {
        out.printf("replayed %d lines of %s against %s (sha256 %s)%n", report.lines(), log, config,
                version.substring(0, 12));
        out.printf("  same           %d%n", report.count(Kind.SAME));
        out.printf("  allow → deny   %d%n", report.count(Kind.ALLOW_TO_DENY));
        out.printf("  deny → allow   %d%n", report.count(Kind.DENY_TO_ALLOW));
        out.printf("  rule changed   %d%n", report.count(Kind.RULE_CHANGED));
        out.printf("  cannot replay  %d%n", report.count(Kind.CANNOT_REPLAY));
        if (!report.refusals().isEmpty()) {
            out.println("cannot replay:");
            for (ReplayReport.Refusals r : report.refusals()) {
                out.printf("  %d × %s, first at line %d: %s%n", r.count(), r.code(), r.firstLine(), r.firstReason());
            }
        }
        if (!report.flips().isEmpty()) {
            out.println("flips:");
        }
        for (ReplayReport.Flip f : report.flips()) {
            out.printf("  line %d  %s  %s  %s %s%s  (request %s)%n", f.line(), or(f.timestamp()),
                    f.email() != null ? f.email() : f.subject() != null ? f.subject() : "anonymous",
                    or(f.method()), or(f.host()), or(f.path()), or(f.requestId()));
            Logged b = f.before();
            out.printf("    before: %s%s: %s%n", b.decision(), rule(b.route(), b.rule()), String.join("; ", b.reasons()));
            out.printf("    after:  %s%s: %s%n", f.after().outcome().wireName(), rule(f.after().route(),
                    f.after().rule()), String.join("; ", f.after().reasons().stream().map(Reason::text).toList()));
        }
        if (report.flipsNotShown() > 0) {
            out.printf("  ... and %d more flips not shown (--max-flips %d)%n", report.flipsNotShown(),
                    report.maxFlips());
        }
    }

    private static String rule(@Nullable String route, @Nullable String rule) {
        return " (route " + or(route) + ", rule " + or(rule) + ")";
    }

    private static String or(@Nullable String s) {
        return s == null ? "-" : s;
    }
}
