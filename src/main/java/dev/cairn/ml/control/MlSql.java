package dev.cairn.ml.control;

import dev.cairn.catalog.control.ModelIndex;
import dev.cairn.catalog.entity.Catalog;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.ErrorCode;
import dev.cairn.platform.SqlIdentifiers;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The names the ML features put into SQL: DerivaML's schema and tables, quoted; the domain schema a
 * request may use; a new table's name; a RID sent by a client. Statements run through
 * {@code platform.Jdbc}, request bodies are read through {@code platform.JsonBodies}.
 */
public final class MlSql {

    /** The schema DerivaML's own tables live in. */
    public static final String ML = "deriva-ml";

    private static final Pattern RID = Pattern.compile("[0-9A-Z]{1,16}(-[0-9A-Z]{1,16}){0,4}");

    private MlSql() {}

    /** The schema a request names, or else the catalog's domain schema; 400 when there is neither. */
    public static String schemaFor(Catalog catalog, String schema) {
        String in = schema != null ? schema : catalog.domainSchema();
        if (in == null) {
            throw new CairnException.BadRequest(
                    "Catalog " + catalog.id() + " has no domain schema: name the \"schema\".");
        }
        if (in.equals(ML) || in.equals("public") || in.startsWith("_")) {
            throw new CairnException.Forbidden(
                    ErrorCode.SYSTEM_OWNED,
                    "Schema " + in + " belongs to Cairn; create vocabularies and asset tables in a domain schema.");
        }
        return in;
    }

    /**
     * A new ML table's name: 1 to {@code maxBytes} bytes, no control characters, and not the name
     * of a table that exists in any schema (ML requests name tables without their schema).
     */
    public static void checkNewTableName(ModelIndex model, String what, String name, int maxBytes) {
        if (name == null
                || name.isBlank()
                || name.getBytes(StandardCharsets.UTF_8).length > maxBytes
                || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new CairnException.BadRequest(
                    what + " needs a \"name\" of 1 to " + maxBytes + " bytes without control characters.");
        }
        model.tables().stream().filter(t -> t.name().equals(name)).findFirst().ifPresent(t -> {
            throw new CairnException.Conflict(
                    ErrorCode.ALREADY_EXISTS,
                    "A table named " + name + " exists already (" + t + "); choose another name.");
        });
    }

    /** {@code "schema"."table"}. */
    public static String table(String schema, String table) {
        return SqlIdentifiers.quote(schema) + "." + SqlIdentifiers.quote(table);
    }

    public static String ml(String table) {
        return table(ML, table);
    }

    public static String quote(String name) {
        return SqlIdentifiers.quote(name);
    }

    /** A RID as given in a URL or body: 400 unless it has a RID's shape. */
    public static String rid(String what, String value) {
        if (value == null || !RID.matcher(value).matches()) {
            throw new CairnException.BadRequest(what + " '" + value + "' is not a RID.");
        }
        return value;
    }
}
