package io.gatehouse.hello.whoami;

import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.web.util.HtmlUtils;

/** Renders the "who you are" page. Every value is HTML-escaped: claims are user data (names, groups). */
final class WhoAmIPage {
    private WhoAmIPage() {}

    static String render(WhoAmI me) {
        String groups = me.groups().isEmpty() ? "<em>none</em>"
                : me.groups().stream().map(g -> "<li>" + esc(g) + "</li>").collect(Collectors.joining("", "<ul>", "</ul>"));
        String device = me.device() == null ? "<em>no device presented</em>"
                : esc(me.device().id()) + " &mdash; trust <strong>" + esc(me.device().trust()) + "</strong>";
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>Who you are &middot; hello-app</title>
                <style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}
                th{text-align:left;padding-right:1rem;vertical-align:top}pre{background:#f4f4f4;padding:1rem;overflow:auto}</style>
                </head><body>
                <h1>Who you are</h1>
                <table>
                <tr><th>Subject</th><td id="subject">%s</td></tr>
                <tr><th>Email</th><td id="email">%s</td></tr>
                <tr><th>Groups</th><td id="groups">%s</td></tr>
                <tr><th>Device</th><td id="device">%s</td></tr>
                <tr><th>Assertion</th><td>jti %s, issued %s by %s for %s</td></tr>
                <tr><th>Remaining lifetime</th><td id="remaining">%d s (expires %s)</td></tr>
                </table>
                <h2>Assertion claims</h2>
                <pre id="claims">%s</pre>
                <p>Verified by gatehouse-verifier, ECDSA by %s. Same facts as JSON: <a href="/whoami.json">/whoami.json</a>.</p>
                </body></html>
                """.formatted(esc(me.subject()), me.email() == null ? "<em>none</em>" : esc(me.email()), groups, device,
                esc(me.jti()), me.issuedAt(), esc(me.issuer()), esc(me.audience()), me.remainingSeconds(), me.expiresAt(),
                esc(claims(me.claims(), "")), esc(me.signatureProvider()));
    }

    private static String claims(Map<String, Object> claims, String indent) {
        StringBuilder out = new StringBuilder();
        claims.forEach((name, value) -> {
            if (value instanceof Map<?, ?> nested) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) nested;
                out.append(indent).append(name).append(":\n").append(claims(m, indent + "  "));
            } else {
                out.append(indent).append(name).append(": ").append(value).append('\n');
            }
        });
        return out.toString();
    }

    private static String esc(String s) {
        return HtmlUtils.htmlEscape(s);
    }
}
