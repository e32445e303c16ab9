package dev.cairn.web.control;

import dev.cairn.platform.PathSegment;

/**
 * Writing ERMrest paths: names and values percent-encoded ({@link PathSegment}) so that no character
 * is read as syntax.
 */
public final class Ermrest {

    private Ermrest() {}

    public static String table(String schema, String table) {
        return PathSegment.encode(schema) + ":" + PathSegment.encode(table);
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
