package dev.cairn.catalog.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.catalog.entity.Model.Type;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class ModelReaderTest {

    private static final Type TEXT = Type.base("text");
    private static final Type INT4 = Type.base("int4");

    @Test
    void typesAreNamedAsErmrestNamesThem() {
        assertEquals(Type.base("boolean"), ModelReader.typeOf("bool", "b", "B", null, null, null));
        assertEquals(Type.base("timestamptz"), ModelReader.typeOf("timestamptz", "b", "D", null, null, null));
        Type array = ModelReader.typeOf("_text", "b", "A", null, "text", null);
        assertEquals("text[]", array.typename());
        assertTrue(array.array());
        assertEquals(TEXT, array.baseType());
        Type domain = ModelReader.typeOf("ermrest_rid", "d", "S", "text", null, null);
        assertEquals("ermrest_rid", domain.typename());
        assertTrue(domain.domain());
        assertEquals(TEXT, domain.baseType());
        assertEquals(
                Type.base("serial8"),
                ModelReader.typeOf("int8", "b", "N", null, null, "nextval('s_id_seq'::regclass)"));
    }

    @Test
    void constantDefaultsBecomeJsonValues() {
        assertEquals("0.1.0", ModelReader.defaultValue("'0.1.0'::text", TEXT));
        assertEquals("it's", ModelReader.defaultValue("'it''s'::text", TEXT));
        assertEquals(
                "deriva-ml:{RID}",
                ModelReader.defaultValue(
                        "'deriva-ml:{RID}'::ermrest_curie", new Type("ermrest_curie", true, null, TEXT)));
        assertEquals(new BigDecimal("42"), ModelReader.defaultValue("42", INT4));
        assertEquals(new BigDecimal("-1"), ModelReader.defaultValue("'-1'::integer", INT4));
        assertEquals(new BigDecimal("-2.5"), ModelReader.defaultValue("'-2.5'::double precision", Type.base("float8")));
        assertEquals(Boolean.TRUE, ModelReader.defaultValue("true", Type.base("boolean")));
    }

    @Test
    void expressionDefaultsAreNotReported() {
        assertNull(ModelReader.defaultValue(null, TEXT));
        assertNull(ModelReader.defaultValue("now()", Type.base("timestamptz")));
        assertNull(ModelReader.defaultValue("_ermrest.rid_encode(nextval('_ermrest.rid_seq'::regclass))", TEXT));
        assertNull(ModelReader.defaultValue("'a'::text || 'b'::text", TEXT));
    }
}
