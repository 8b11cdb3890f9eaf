package io.gatehouse.gateway.problem;

import java.nio.charset.StandardCharsets;
import org.springframework.web.util.HtmlUtils;

/**
 * The one frame of every HTML page the gateway itself answers (deny page, login pages): head, style, title. The
 * title is escaped here; the body is HTML the caller built from escaped parts.
 */
public final class HtmlPage {

    private HtmlPage() {
    }

    public static byte[] render(String title, String body) {
        String escapedTitle = HtmlUtils.htmlEscape(title);
        String html = """
                <!doctype html>
                <html lang="en">
                <head><meta charset="utf-8"><title>%1$s</title>
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#222}
                code{background:#f3f3f3;padding:.1rem .3rem}</style></head>
                <body>
                  <h1>%1$s</h1>
                %2$s</body>
                </html>
                """.formatted(escapedTitle, body);
        return html.getBytes(StandardCharsets.UTF_8);
    }
}
