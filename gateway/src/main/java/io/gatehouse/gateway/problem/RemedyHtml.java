package io.gatehouse.gateway.problem;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.web.util.HtmlUtils;

/**
 * The deny page's "What you can do" list: each remedy (a rule's {@code remedy:}, docs/policy.md, "Remedy") escaped as
 * text, with each {@code https://} URL in it, and nothing else, made a link. The remedy was written by whoever edits
 * gatehouse.yaml, not by the caller, but it is still text: markup in it is shown, never run. A URL's trailing
 * punctuation ({@code .,;:!?)}) stays text, so "enrol at https://mdm.example." links the URL without the full stop.
 */
final class RemedyHtml {

    /** An https URL up to the next white space or character that cannot be in one unescaped. */
    private static final Pattern HTTPS_URL = Pattern.compile("(?i)https://[^\\s/?#<>\"']+[^\\s<>\"']*");
    private static final String TRAILING = ".,;:!?)";

    private RemedyHtml() {
    }

    /** The section, or "" when there are no remedies. */
    static String section(List<String> remedies) {
        if (remedies.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("  <p>What you can do:</p>\n  <ul id=\"remedies\">\n");
        for (String remedy : remedies) {
            out.append("    <li>").append(linked(remedy)).append("</li>\n");
        }
        return out.append("  </ul>\n").toString();
    }

    /** The remedy escaped, its https URLs as links. */
    static String linked(String remedy) {
        StringBuilder out = new StringBuilder();
        Matcher m = HTTPS_URL.matcher(remedy);
        int at = 0;
        while (m.find()) {
            String url = m.group();
            int end = url.length();
            while (end > 0 && TRAILING.indexOf(url.charAt(end - 1)) >= 0) {
                end--;
            }
            url = url.substring(0, end);
            out.append(HtmlUtils.htmlEscape(remedy.substring(at, m.start())));
            String escaped = HtmlUtils.htmlEscape(url);
            out.append("<a href=\"").append(escaped).append("\" rel=\"noopener noreferrer\">").append(escaped)
                    .append("</a>");
            at = m.start() + end;
        }
        return out.append(HtmlUtils.htmlEscape(remedy.substring(at))).toString();
    }
}
