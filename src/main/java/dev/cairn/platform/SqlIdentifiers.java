package dev.cairn.platform;

/** Quoting of SQL identifiers and literals: every name that reaches generated SQL goes through here. */
public final class SqlIdentifiers {

    private SqlIdentifiers() {}

    /** A double-quoted PostgreSQL identifier; rejects the NUL character, which PostgreSQL cannot store. */
    public static String quote(String identifier) {
        if (identifier == null || identifier.isEmpty() || identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("invalid SQL identifier");
        }
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** A single-quoted string literal (standard_conforming_strings), for statements that take no parameters. */
    public static String literal(String value) {
        if (value == null || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("invalid SQL literal");
        }
        return '\'' + value.replace("'", "''") + '\'';
    }
}
