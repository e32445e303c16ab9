package dev.cairn.web.control;

import dev.cairn.catalog.control.ModelIndex;
import dev.cairn.catalog.entity.Model;
import dev.cairn.platform.JsonBodies;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The typed form of a table's rows, as Chaise's record-edit offers it: one input per column chosen
 * by the column's type (text, markdown, whole and decimal numbers, booleans, dates, timestamps,
 * JSON, arrays one element per line), and the parsing of what a person typed back into the JSON
 * value ERMrest stores, with a message for the field when it cannot be. System columns are never
 * in a form: the database sets them.
 */
public final class RowForm {

    /** The columns ERMrest maintains itself. */
    public static final Set<String> SYSTEM = Set.of("RID", "RCT", "RMT", "RCB", "RMB");

    /** The kind of input a column gets. */
    public enum Input {
        TEXT,
        LONGTEXT,
        MARKDOWN,
        INTEGER,
        DECIMAL,
        BOOLEAN,
        DATE,
        TIMESTAMP,
        JSON,
        ARRAY
    }

    /** A column of the form: its input, the kind of its elements when an array, and whether it must have a value. */
    public record Field(String column, Input input, Input element, boolean required, String comment) {}

    /** What a person typed that is not a value of the column's type; the message is shown next to the field. */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private static final Map<String, Input> BY_TYPE = Map.ofEntries(
            Map.entry("text", Input.TEXT),
            Map.entry("shorttext", Input.TEXT),
            Map.entry("longtext", Input.LONGTEXT),
            Map.entry("markdown", Input.MARKDOWN),
            Map.entry("int2", Input.INTEGER),
            Map.entry("int4", Input.INTEGER),
            Map.entry("int8", Input.INTEGER),
            Map.entry("serial2", Input.INTEGER),
            Map.entry("serial4", Input.INTEGER),
            Map.entry("serial8", Input.INTEGER),
            Map.entry("float4", Input.DECIMAL),
            Map.entry("float8", Input.DECIMAL),
            Map.entry("numeric", Input.DECIMAL),
            Map.entry("boolean", Input.BOOLEAN),
            Map.entry("date", Input.DATE),
            Map.entry("timestamp", Input.TIMESTAMP),
            Map.entry("timestamptz", Input.TIMESTAMP),
            Map.entry("json", Input.JSON),
            Map.entry("jsonb", Input.JSON));

    private RowForm() {}

    /**
     * The form's fields: every column of the table but the system ones and those in {@code skip}, in
     * the table's order.
     */
    public static List<Field> fields(ModelIndex.Table table, Set<String> skip) {
        List<Field> fields = new ArrayList<>();
        for (Model.Column c : table.columns().values()) {
            if (SYSTEM.contains(c.name()) || skip.contains(c.name())) {
                continue;
            }
            Model.Type type = c.type();
            boolean array = Boolean.TRUE.equals(type.array()) && type.baseType() != null;
            Input element = array ? of(type.baseType()) : null;
            fields.add(new Field(
                    c.name(),
                    array ? Input.ARRAY : of(type),
                    element,
                    !c.nullok() && c.defaultValue() == null,
                    c.comment() == null ? "" : c.comment()));
        }
        return fields;
    }

    /** A type's input: its own name's (markdown is a domain over text), else its base type's. */
    private static Input of(Model.Type type) {
        for (Model.Type t = type; t != null; t = t.baseType()) {
            Input input = BY_TYPE.get(t.typename().toLowerCase(Locale.ROOT));
            if (input != null) {
                return input;
            }
        }
        return Input.TEXT;
    }

    /** The text an input shows for a stored value (empty for null). */
    public static String text(Field field, JsonValue value) {
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return "";
        }
        if (field.input() == Input.ARRAY && value.getValueType() == JsonValue.ValueType.ARRAY) {
            List<String> lines = new ArrayList<>();
            for (JsonValue v : value.asJsonArray()) {
                lines.add(scalarText(v));
            }
            return String.join("\n", lines);
        }
        if (field.input() == Input.JSON) {
            StringWriter out = new StringWriter();
            try (var w = JsonBodies.JSON.createWriter(out)) {
                w.write(value);
            }
            return out.toString();
        }
        return scalarText(value);
    }

    private static String scalarText(JsonValue v) {
        return switch (v.getValueType()) {
            case STRING -> ((JsonString) v).getString();
            case NULL -> "";
            case NUMBER -> ((JsonNumber) v).bigDecimalValue().toPlainString();
            default -> v.toString();
        };
    }

    /**
     * The value to store for what was typed: null for an empty input (a required column then fails
     * with its message), otherwise a value of the column's type.
     */
    public static JsonValue value(Field field, String typed) throws Invalid {
        String text = typed == null ? "" : typed;
        if (field.input() != Input.TEXT && field.input() != Input.LONGTEXT && field.input() != Input.MARKDOWN) {
            text = text.strip();
        }
        if (text.isEmpty()) {
            if (field.required()) {
                throw new Invalid(field.column() + " needs a value.");
            }
            return JsonValue.NULL;
        }
        if (field.input() == Input.ARRAY) {
            JsonArrayBuilder array = JsonBodies.JSON.createArrayBuilder();
            int line = 0;
            for (String element : text.split("\\R", -1)) {
                line++;
                if (element.strip().isEmpty()) {
                    continue;
                }
                try {
                    array.add(scalar(field.element(), element.strip()));
                } catch (Invalid e) {
                    throw new Invalid("Line " + line + ": " + e.getMessage());
                }
            }
            return array.build();
        }
        return scalar(field.input(), text);
    }

    private static JsonValue scalar(Input input, String text) throws Invalid {
        switch (input) {
            case INTEGER -> {
                try {
                    return JsonBodies.JSON.createValue(Long.parseLong(text));
                } catch (NumberFormatException e) {
                    throw new Invalid("'" + shorten(text) + "' is not a whole number.");
                }
            }
            case DECIMAL -> {
                try {
                    return JsonBodies.JSON.createValue(new BigDecimal(text));
                } catch (NumberFormatException e) {
                    throw new Invalid("'" + shorten(text) + "' is not a number.");
                }
            }
            case BOOLEAN -> {
                return switch (text.toLowerCase(Locale.ROOT)) {
                    case "true", "yes" -> JsonValue.TRUE;
                    case "false", "no" -> JsonValue.FALSE;
                    default -> throw new Invalid("Choose true or false, not '" + shorten(text) + "'.");
                };
            }
            case DATE -> {
                try {
                    return JsonBodies.JSON.createValue(LocalDate.parse(text).toString());
                } catch (DateTimeParseException e) {
                    throw new Invalid("'" + shorten(text) + "' is not a date such as 2026-12-07.");
                }
            }
            case TIMESTAMP -> {
                return JsonBodies.JSON.createValue(timestamp(text));
            }
            case JSON -> {
                try (JsonReader reader = JsonBodies.JSON.createReader(new StringReader(text))) {
                    return reader.readValue();
                } catch (JsonParsingException e) {
                    throw new Invalid("Not JSON: " + e.getMessage());
                } catch (JsonException e) {
                    throw new Invalid("Not JSON: " + e.getMessage());
                }
            }
            default -> {
                return JsonBodies.JSON.createValue(text);
            }
        }
    }

    /**
     * A time as typed ({@code 2026-12-07T10:55:00+01:00}, {@code 2026-12-07 10:55}, or a date),
     * checked and kept as typed.
     */
    private static String timestamp(String text) throws Invalid {
        String iso = text.replaceFirst("^(\\d{4}-\\d{2}-\\d{2}) ", "$1T");
        try {
            OffsetDateTime.parse(iso);
            return iso;
        } catch (DateTimeParseException notOffset) {
            try {
                LocalDateTime.parse(iso);
                return iso;
            } catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(iso).toString();
                } catch (DateTimeParseException notDate) {
                    throw new Invalid("'" + shorten(text) + "' is not a time such as 2026-12-07 10:55:00+00:00.");
                }
            }
        }
    }

    private static String shorten(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
