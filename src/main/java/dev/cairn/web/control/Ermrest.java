package dev.cairn.web.control;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Writing ERMrest paths: names and values percent-encoded so that no character is read as syntax. */
public final class Ermrest {

    private Ermrest() {
    }

    /** A name or value: everything but letters, digits and {@code -_.~} is percent-encoded. */
    public static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A");
    }

    public static String table(String schema, String table) {
        return encode(schema) + ":" + encode(table);
    }

    /**
     * A PostgreSQL regular expression that matches {@code text} literally: every character but
     * letters and digits is escaped (an escaped letter or digit would be a class such as {@code \d}).
     */
    public static String literalRegex(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (!Character.isLetterOrDigit(c)) {
                out.append('\\');
            }
            out.appendCodePoint(c);
        });
        return out.toString();
    }
}
