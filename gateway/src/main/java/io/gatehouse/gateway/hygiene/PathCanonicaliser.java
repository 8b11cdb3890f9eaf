package io.gatehouse.gateway.hygiene;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Turns a raw request path (as received, still percent-encoded) into its one canonical form, or rejects it.
 * The gateway never repairs a path: anything two servers could read differently is a 400, so the path the policy
 * matches and the path the upstream receives always name the same resource. Steps:
 * <ol>
 *   <li>scan the raw text: bad {@code %}, {@code %25} (double encoding), encoded {@code /} or {@code \}, a raw
 *       {@code \}, {@code ;}, raw non-ASCII, NUL or control characters (raw or encoded);</li>
 *   <li>percent-decode strictly as UTF-8 to validate it: overlong forms, stray bytes, C1 controls, Unicode
 *       look-alikes of separators, characters that NFKC or case mapping turn into ASCII and invisible
 *       (default-ignorable) characters are rejected ({@link Lookalikes});</li>
 *   <li>normalise the percent-encoding (RFC 3986, section 6.2.2): unreserved characters ({@code A-Z a-z 0-9 - . _ ~})
 *       decoded, every other escape kept with upper-case hex;</li>
 *   <li>scan the normalised text: {@code .} segments, {@code ..} anywhere, empty segments ({@code //});</li>
 *   <li>scan the decoded segments: one ending in {@code .} or a space ({@code /admin./}, {@code /admin%20/}) is
 *       rejected, because Windows, IIS and some frameworks drop the trailing dots and spaces of a name.</li>
 * </ol>
 * The canonical form is ASCII, never contains {@code \}, {@code ;}, NUL, {@code //}, {@code ..}, a segment ending in
 * {@code .} or {@code %20}, or a lower-case escape, and canonicalising it again returns it unchanged. Policy path globs compare against it. Pure and thread-safe.
 */
public final class PathCanonicaliser {

    /** Characters some servers or frameworks fold into '/', '\' or '.' (best-fit mappings, NFKC). */
    private static final String LOOKALIKES = "\uFF0F\uFF3C\u2215\u2044\u29F8\u29F9\uFE68\uFF0E\u2024\u3002\uFF61\u00B7";

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PathCanonicaliser() {
    }

    /** Canonicalises a raw path such as {@code /a/b%20c}; an empty path counts as {@code /}. */
    public static PathVerdict canonicalise(String rawPath) {
        String raw = rawPath.isEmpty() ? "/" : rawPath;
        Optional<Rejection> found = scanRaw(raw, "path", true);
        if (found.isPresent()) {
            return new PathVerdict.Rejected(found.get());
        }
        if (raw.charAt(0) != '/') {
            return rejected(RejectedPattern.NOT_ORIGIN_PATH, raw.substring(0, 1), raw);
        }
        String decoded;
        try {
            decoded = decode(raw);
        } catch (CharacterCodingException e) {
            return rejected(RejectedPattern.INVALID_UTF8, raw, raw);
        }
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (LOOKALIKES.indexOf(c) >= 0) {
                return rejected(RejectedPattern.LOOKALIKE_SEPARATOR, String.valueOf(c), raw);
            }
            if (c >= 0x80 && c <= 0x9f) {
                return rejected(RejectedPattern.CONTROL_CHARACTER, String.valueOf(c), raw);
            }
        }
        for (int i = 0; i < decoded.length(); ) {
            int cp = decoded.codePointAt(i);
            RejectedPattern row = Lookalikes.classify(cp);
            if (row != null) {
                return rejected(row, Character.toString(cp), raw);
            }
            i += Character.charCount(cp);
        }
        PathVerdict verdict = scanNormalised(normalise(raw), raw);
        if (verdict instanceof PathVerdict.Accepted) {
            String segment = trailingDotOrSpace(decoded);
            if (segment != null) {
                return rejected(RejectedPattern.TRAILING_DOT_OR_SPACE, segment, raw);
            }
        }
        return verdict;
    }

    /** The first decoded segment that ends in '.' or ' ', or null. Encoded '/' was rejected, so '/' splits. */
    private static @Nullable String trailingDotOrSpace(String decoded) {
        int start = 1;
        while (start <= decoded.length()) {
            int end = decoded.indexOf('/', start);
            if (end < 0) {
                end = decoded.length();
            }
            if (end > start) {
                char last = decoded.charAt(end - 1);
                if (last == '.' || last == ' ') {
                    return decoded.substring(start, end);
                }
            }
            start = end + 1;
        }
        return null;
    }

    /**
     * Checks a raw query string: bad percent-encoding, raw control characters and an encoded NUL are rejected;
     * other encoded characters (a {@code %0A} in form text) are the application's business.
     */
    public static Optional<Rejection> checkQuery(String rawQuery) {
        // Quote what was found, never the query itself: it may carry a token or a signed URL's signature.
        return scanRaw(rawQuery, "query", false)
                .map(r -> new Rejection(r.pattern(), r.found(), r.where(), "(not shown)"));
    }

    private static Optional<Rejection> scanRaw(String raw, String where, boolean isPath) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == 0) {
                return Optional.of(new Rejection(RejectedPattern.NUL, String.valueOf(c), where, raw));
            }
            if (c < 0x20 || c == 0x7f) {
                return Optional.of(new Rejection(RejectedPattern.CONTROL_CHARACTER, String.valueOf(c), where, raw));
            }
            if (c > 0x7e) {
                // Netty reads the request line as ISO-8859-1; a raw UTF-8 byte would reach the upstream re-encoded.
                return Optional.of(new Rejection(RejectedPattern.NON_ASCII, String.valueOf(c), where, raw));
            }
            if (isPath && c == '\\') {
                return Optional.of(new Rejection(RejectedPattern.BACKSLASH, "\\", where, raw));
            }
            if (c == '#') {
                return Optional.of(new Rejection(RejectedPattern.FRAGMENT, "#", where, raw));
            }
            if (isPath && c == ';') {
                return Optional.of(new Rejection(RejectedPattern.PATH_PARAMETER, ";", where, raw));
            }
            if (c == '%') {
                if (i + 2 >= raw.length() || hex(raw.charAt(i + 1)) < 0 || hex(raw.charAt(i + 2)) < 0) {
                    String bad = raw.substring(i, Math.min(i + 3, raw.length()));
                    return Optional.of(new Rejection(RejectedPattern.BAD_PERCENT_ENCODING, bad, where, raw));
                }
                int b = hex(raw.charAt(i + 1)) * 16 + hex(raw.charAt(i + 2));
                RejectedPattern row = encodedRow(b, isPath);
                if (row != null) {
                    return Optional.of(new Rejection(row, raw.substring(i, i + 3), where, raw));
                }
                i += 2;
            }
        }
        return Optional.empty();
    }

    private static @Nullable RejectedPattern encodedRow(int b, boolean isPath) {
        if (b == 0) {
            return RejectedPattern.NUL;
        }
        if (!isPath) {
            return null;
        }
        if (b < 0x20 || b == 0x7f) {
            return RejectedPattern.CONTROL_CHARACTER;
        }
        return switch (b) {
            case 0x25 -> RejectedPattern.ENCODED_PERCENT;
            case 0x2f -> RejectedPattern.ENCODED_SLASH;
            case 0x5c -> RejectedPattern.ENCODED_BACKSLASH;
            case 0x3b -> RejectedPattern.PATH_PARAMETER;
            default -> null;
        };
    }

    private static PathVerdict scanNormalised(String normalised, String raw) {
        if (normalised.contains("//")) {
            return rejected(RejectedPattern.EMPTY_SEGMENT, "//", raw);
        }
        // '..' anywhere, not only as a whole segment: "a..b" is rare in real paths, some upstreams (and their file
        // systems) still treat it specially, and the invariant stays simple enough to fuzz.
        if (normalised.contains("..")) {
            return rejected(RejectedPattern.DOT_DOT, "..", raw);
        }
        if (normalised.equals("/.") || normalised.contains("/./") || normalised.endsWith("/.")) {
            return rejected(RejectedPattern.DOT_SEGMENT, ".", raw);
        }
        return new PathVerdict.Accepted(normalised);
    }

    /** RFC 3986 6.2.2.2: decode escapes of unreserved characters, upper-case the hex of all others. */
    private static String normalise(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            char b = (char) (hex(raw.charAt(i + 1)) * 16 + hex(raw.charAt(i + 2)));
            if (unreserved(b)) {
                out.append(b);
            } else {
                out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
            }
            i += 2;
        }
        return out.toString();
    }

    private static boolean unreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static String decode(String raw) throws CharacterCodingException {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                bytes.write(hex(raw.charAt(i + 1)) * 16 + hex(raw.charAt(i + 2)));
                i += 2;
            } else {
                bytes.write(c); // ASCII only: the raw scan rejected everything else
            }
        }
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes.toByteArray()))
                .toString();
    }

    private static PathVerdict rejected(RejectedPattern row, String found, String raw) {
        return new PathVerdict.Rejected(new Rejection(row, found, "path", raw));
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
