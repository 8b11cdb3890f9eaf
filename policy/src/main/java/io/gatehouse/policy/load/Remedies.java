package io.gatehouse.policy.load;

import io.gatehouse.policy.model.Rule;
import io.gatehouse.policy.parse.Nodes;
import io.gatehouse.policy.parse.ParseContext;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * A rule's {@code remedy:} (docs/policy.md, "Remedy"): one line of plain text, at most {@value Rule#MAX_REMEDY_LENGTH}
 * characters, that the deny page shows next to the reasons. Links are https only: the deny page turns an
 * {@code https://} URL in it into a link and shows everything else as text, so a remedy naming another scheme
 * ({@code http:}, {@code javascript:}, {@code data:}) is refused here rather than shown as a link that is not one.
 * Control characters (a line break included) are refused: the text goes into problem+json and the decision page.
 */
final class Remedies {

    /** A URL-looking token of a scheme other than https. */
    private static final Pattern OTHER_SCHEME = Pattern.compile("(?i)\\b(?!https:)([a-z][a-z0-9+.-]*):(?://|[a-z0-9%])");
    /** An https link as the deny page links it: up to the next white space. */
    static final Pattern HTTPS_LINK = Pattern.compile("(?i)https://[^\\s/?#]+[^\\s]*");
    private static final Pattern HTTPS_WITHOUT_HOST = Pattern.compile("(?i)https:(?!//[^\\s/?#]+)");

    private Remedies() {
    }

    /** The remedy text; null after reporting an error at the node's position. */
    static @Nullable String parse(Node node, ParseContext c) {
        String text = Nodes.string(node, c);
        if (text == null) {
            return null;
        }
        String remedy = text.strip();
        if (remedy.length() > Rule.MAX_REMEDY_LENGTH) {
            c.error(node, "remedy is %d characters long; at most %d are allowed (say what to do, link the details)",
                    remedy.length(), Rule.MAX_REMEDY_LENGTH);
            return null;
        }
        for (int i = 0; i < remedy.length(); i++) {
            char ch = remedy.charAt(i);
            if (Character.isISOControl(ch) || ch == '\u2028' || ch == '\u2029') {
                c.error(node, "remedy contains the control character U+%04X at %d; write one line of plain text",
                        (int) ch, i + 1);
                return null;
            }
        }
        // Look for other schemes outside the https links only: https://host:8443/x has a colon of its own.
        var other = OTHER_SCHEME.matcher(HTTPS_LINK.matcher(remedy).replaceAll(" "));
        if (other.find()) {
            c.error(node, "remedy has a link with scheme %s:; only https:// links are allowed (the deny page links "
                    + "those and shows everything else as text)", other.group(1).toLowerCase(Locale.ROOT));
            return null;
        }
        if (HTTPS_WITHOUT_HOST.matcher(remedy).find()) {
            c.error(node, "remedy contains an https link without a host; write https://host/path");
            return null;
        }
        return remedy;
    }
}
