package dev.cairn.platform;

/** Quoting of SQL identifiers: every name that reaches generated SQL goes through here. */
public final class SqlIdentifiers {

    private SqlIdentifiers() {
    }

    /** A double-quoted PostgreSQL identifier; rejects the NUL character, which PostgreSQL cannot store. */
    public static String quote(String identifier) {
        if (identifier == null || identifier.isEmpty() || identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("invalid SQL identifier");
        }
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
