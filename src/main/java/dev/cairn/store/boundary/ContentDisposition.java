package dev.cairn.store.boundary;

import dev.cairn.platform.CairnException;
import java.util.regex.Pattern;

/**
 * The Content-Disposition values Cairn keeps: Hatrac's {@code filename*=UTF-8''name}, optionally
 * after {@code attachment;} or {@code inline;}, where the percent-encoded name has no path.
 */
final class ContentDisposition {

    private static final Pattern ALLOWED = Pattern.compile(
            "^(?:(?:attachment|inline)\\s*;\\s*)?filename\\*=UTF-8''(?:[A-Za-z0-9!#$&+.^_`|~-]|%[0-9A-Fa-f]{2})+$");
    private static final Pattern ENCODED_SEPARATOR = Pattern.compile("%(2[Ff]|5[Cc]|00)");

    private ContentDisposition() {}

    /** The value if acceptable, null if absent; 400 otherwise. */
    static String check(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        if (!ALLOWED.matcher(v).matches() || ENCODED_SEPARATOR.matcher(v).find()) {
            throw new CairnException.BadRequest("Content-Disposition must be filename*=UTF-8''<percent-encoded name> "
                    + "with no path separators.");
        }
        return v;
    }
}
