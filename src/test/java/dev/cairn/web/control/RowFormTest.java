package dev.cairn.web.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.platform.JsonBodies;
import jakarta.json.JsonNumber;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** What a person types in a form, typed as ERMrest stores it, and shown again as it was stored. */
class RowFormTest {

    private static RowForm.Field field(RowForm.Input input, boolean required) {
        return new RowForm.Field("C", input, input == RowForm.Input.ARRAY ? RowForm.Input.INTEGER : null, required, "");
    }

    private static JsonValue value(RowForm.Input input, String typed) throws RowForm.Invalid {
        return RowForm.value(field(input, false), typed);
    }

    @Test
    void eachTypeBecomesItsJsonValue() throws RowForm.Invalid {
        assertEquals(JsonBodies.JSON.createValue(" spaced "), value(RowForm.Input.TEXT, " spaced "));
        assertEquals(JsonBodies.JSON.createValue(-42L), value(RowForm.Input.INTEGER, " -42 "));
        assertEquals(
                0,
                JsonBodies.JSON
                        .createValue(new BigDecimal("2.50"))
                        .bigDecimalValue()
                        .compareTo(((JsonNumber) value(RowForm.Input.DECIMAL, "2.50")).bigDecimalValue()));
        assertEquals(JsonValue.TRUE, value(RowForm.Input.BOOLEAN, "true"));
        assertEquals(JsonValue.FALSE, value(RowForm.Input.BOOLEAN, "false"));
        assertEquals(JsonBodies.JSON.createValue("2026-12-07"), value(RowForm.Input.DATE, "2026-12-07"));
        assertEquals(
                JsonBodies.JSON.createValue("2026-12-07T10:55:00+01:00"),
                value(RowForm.Input.TIMESTAMP, "2026-12-07 10:55:00+01:00"));
        assertEquals(
                JsonBodies.JSON.createValue("2026-12-07T10:55"), value(RowForm.Input.TIMESTAMP, "2026-12-07T10:55"));
        assertEquals(
                JsonBodies.parse("{\"a\": [1, {\"b\": null}]}"),
                value(RowForm.Input.JSON, "{\"a\": [1, {\"b\": null}]}"));
        assertEquals(JsonBodies.parse("[1, 2, 3]"), value(RowForm.Input.ARRAY, "1\r\n\r\n2\n3\n"));
        assertEquals(JsonValue.NULL, value(RowForm.Input.INTEGER, "   "));
        assertEquals(JsonValue.NULL, value(RowForm.Input.TEXT, ""));
    }

    @Test
    void whatIsNotAValueSaysWhyForItsField() {
        assertThrows(RowForm.Invalid.class, () -> value(RowForm.Input.INTEGER, "1.5"));
        assertThrows(RowForm.Invalid.class, () -> value(RowForm.Input.INTEGER, "99999999999999999999"));
        assertThrows(RowForm.Invalid.class, () -> value(RowForm.Input.DECIMAL, "1,5"));
        assertThrows(RowForm.Invalid.class, () -> value(RowForm.Input.BOOLEAN, "maybe"));
        assertThrows(RowForm.Invalid.class, () -> value(RowForm.Input.DATE, "2026-02-30"));
        assertThrows(RowForm.Invalid.class, () -> value(RowForm.Input.TIMESTAMP, "yesterday"));
        assertThrows(RowForm.Invalid.class, () -> value(RowForm.Input.JSON, "{\"a\": "));
        RowForm.Invalid line = assertThrows(RowForm.Invalid.class, () -> value(RowForm.Input.ARRAY, "1\nx"));
        assertTrue(line.getMessage().startsWith("Line 2:"), line.getMessage());
        RowForm.Invalid required =
                assertThrows(RowForm.Invalid.class, () -> RowForm.value(field(RowForm.Input.TEXT, true), ""));
        assertEquals("C needs a value.", required.getMessage());
    }

    @Test
    void storedValuesShowAsTheyWouldBeTypedAndTypeBackToThemselves() throws RowForm.Invalid {
        for (String[] c : new String[][] {
            {"INTEGER", "7"},
            {"DECIMAL", "2.5"},
            {"BOOLEAN", "true"},
            {"DATE", "2026-12-07"},
            {"TIMESTAMP", "2026-12-07T10:55:00.123456+00:00"},
            {"JSON", "{\"a\":[1,2]}"},
            {"ARRAY", "[1,2]"}
        }) {
            RowForm.Field f = field(RowForm.Input.valueOf(c[0]), false);
            JsonValue stored = c[0].equals("TIMESTAMP") || c[0].equals("DATE")
                    ? JsonBodies.JSON.createValue(c[1])
                    : JsonBodies.parse(c[1]);
            assertEquals(
                    stored.toString(), RowForm.value(f, RowForm.text(f, stored)).toString(), c[0]);
        }
        assertEquals("", RowForm.text(field(RowForm.Input.TEXT, false), JsonValue.NULL));
        assertEquals("1\n2", RowForm.text(field(RowForm.Input.ARRAY, false), JsonBodies.parse("[1, 2]")));
    }
}
