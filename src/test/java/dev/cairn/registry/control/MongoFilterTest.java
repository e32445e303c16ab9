package dev.cairn.registry.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.platform.CairnException;
import dev.cairn.registry.control.FilterSql.Field;
import dev.cairn.registry.control.FilterSql.Kind;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MongoFilterTest {

    private static final Map<String, Field> FIELDS = Map.of(
            "name",
            new Field("b.\"Name\"", Kind.TEXT, true),
            "tags",
            new Field("b.\"Tags\"", Kind.TEXT_ARRAY, true),
            "meta",
            new Field("b.\"Metadata\"", Kind.JSONB, true),
            "url",
            new Field("b.\"URL\"", Kind.TEXT),
            "version",
            new Field("b.\"Version\"", Kind.VERSION));

    private static JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    private static FilterSql.Sql sql(String query) {
        return FilterSql.compile(MongoFilter.parse(json(query)), FIELDS);
    }

    private static String refused(String query) {
        return assertThrows(CairnException.BadRequest.class, () -> sql(query)).getMessage();
    }

    @Test
    void unknownOperatorsAreNamed() {
        assertTrue(refused("{\"name\": {\"$where\": \"1\"}}").contains("$where"));
        assertTrue(refused("{\"$text\": {\"$search\": \"x\"}}").contains("$text"));
        assertTrue(refused("{\"meta.a\": {\"$elemMatch\": {\"$foo\": 1}}}").contains("$foo"));
    }

    @Test
    void malformedOperandsAreRefused() {
        assertTrue(refused("{\"name\": {\"$in\": \"x\"}}").contains("array"));
        assertTrue(refused("{\"name\": {\"$exists\": 1}}").contains("true or false"));
        assertTrue(refused("{\"name\": {\"$size\": -1}}").contains("non-negative"));
        assertTrue(refused("{\"name\": {\"$regex\": \"(\"}}").contains("regular expression"));
        assertTrue(
                refused("{\"name\": {\"$regex\": \"a\", \"$options\": \"g\"}}").contains("$options"));
        assertTrue(refused("{\"name\": {\"$options\": \"i\"}}").contains("$regex"));
        assertTrue(refused("{\"name\": {\"$gt\": true}}").contains("number or a string"));
        assertTrue(refused("{\"name\": {\"$eq\": 1, \"x\": 2}}").contains("mixes"));
        assertTrue(refused("{\"$and\": []}").contains("non-empty"));
        assertTrue(refused("{\"$or\": [1]}").contains("query objects"));
        assertTrue(refused("{\"name..x\": 1}").contains("empty"));
        assertTrue(refused("{\"meta.a\": {\"$gt\": 1e2000}}").contains("out of range"));
    }

    @Test
    void unknownFieldsAndFieldsOfTextAreRefused() {
        assertTrue(refused("{\"nmae\": \"x\"}").contains("Unknown field nmae"));
        assertTrue(refused("{\"name.first\": \"x\"}").contains("has no fields"));
    }

    @Test
    void hostileSizesAreBounded() {
        String deep = "{\"meta.a\": " + "{\"$not\": ".repeat(40) + "{\"$eq\": 1}" + "}".repeat(40) + "}";
        assertTrue(refused(deep).contains("deeper"));
        StringBuilder wide = new StringBuilder("{\"$or\": [");
        for (int i = 0; i < 600; i++) {
            wide.append(i == 0 ? "" : ",").append("{\"name\": \"").append(i).append("\"}");
        }
        assertTrue(refused(wide.append("]}").toString()).contains("conditions"));
    }

    @Test
    void equalityFormIsMatchByExample() {
        MongoFilter.Node node = MongoFilter.parse(
                json("{\"tags\": [\"a\", \"b\"], \"meta\": {\"type\": \"image\", \"size\": {\"w\": 2}}}"));
        MongoFilter.And and = assertInstanceOf(MongoFilter.And.class, node);
        assertEquals(
                new MongoFilter.Condition(
                        List.of("tags"),
                        MongoFilter.Op.ALL,
                        json("{\"v\": [\"a\", \"b\"]}").get("v"),
                        null),
                and.parts().get(0));
        MongoFilter.And meta =
                assertInstanceOf(MongoFilter.And.class, and.parts().get(1));
        assertEquals(
                List.of("meta", "size", "w"),
                ((MongoFilter.Condition) meta.parts().get(1)).path());
    }

    @Test
    void indexableFormsForTextAndArrays() {
        assertEquals("b.\"Name\" = ?", sql("{\"name\": \"x\"}").where());
        assertEquals(
                "b.\"Name\" = ANY(?::text[])",
                sql("{\"name\": {\"$in\": [\"x\", \"y\", 3]}}").where());
        assertEquals(
                "b.\"Tags\" && ?::text[]", sql("{\"tags\": {\"$in\": [\"x\"]}}").where());
        assertEquals(
                "b.\"Tags\" @> ?::text[]",
                sql("{\"tags\": {\"$all\": [\"x\", \"y\"]}}").where());
        FilterSql.Sql meta = sql("{\"meta.type\": \"image\"}");
        assertEquals("b.\"Metadata\" @?? ?::jsonpath", meta.where());
        assertEquals(List.of("lax $.\"type\" ? (@.type() == \"string\" && @ == \"image\")"), meta.parameters());
    }

    @Test
    void pathKeysAndStringsAreQuotedAsSqlJsonLiterals() {
        FilterSql.Sql q = sql("{\"meta.we\\\"ird\\\\key\": \"a\\\"b\\nc\"}");
        assertEquals(
                List.of("lax $.\"we\\\"ird\\\\key\" ? (@.type() == \"string\" && @ == \"a\\\"b\\u000ac\")"),
                q.parameters());
    }

    @Test
    void queriesWithAnIndexedEqualityEveryMatchMeetsAreMarked() {
        assertTrue(sql("{\"name\": \"x\", \"url\": {\"$gt\": \"a\"}}").indexed());
        assertTrue(sql("{\"tags\": {\"$in\": [\"a\"]}}").indexed());
        assertTrue(sql("{\"$and\": [{\"meta.k\": 1}]}").indexed());
        assertFalse(sql("{}").indexed());
        assertFalse(sql("{\"url\": \"x\"}").indexed());
        assertFalse(sql("{\"$or\": [{\"name\": \"x\"}, {\"url\": \"y\"}]}").indexed());
        assertFalse(sql("{\"name\": {\"$ne\": \"x\"}}").indexed());
        assertFalse(sql("{\"meta.k\": null}").indexed());
    }

    @Test
    void versionsCompareSemverAware() {
        assertTrue(sql("{\"version\": {\"$gte\": \"1.0\"}}").where().contains("version_key"));
    }

    @Test
    void parametersFollowTheSqlTextOrder() {
        FilterSql.Sql q = sql("{\"meta.a\": {\"$in\": [[1], \"x\", {\"k\": 1}, 2]}}");
        assertEquals(
                7, q.where().replace("@??", "@").chars().filter(c -> c == '?').count());
        assertEquals(7, q.parameters().size());
        assertEquals(
                "lax $.\"a\" ? ((@.type() == \"string\" && @ == \"x\") || (@.type() == \"number\" && @ == 2))",
                q.parameters().get(0));
        assertEquals("lax $.\"a\"", q.parameters().get(1));
        assertEquals("[1]", q.parameters().get(2));
    }

    @Test
    void extendedPatternsLoseTheirWhitespaceAndComments() {
        assertEquals("^p[a b]\\ c", MongoFilter.unextended(" ^ p  [a b] \\  c # a comment\n"));
        assertEquals("^a\\#b", MongoFilter.unextended("^a # the start\n \\#b"), "an escaped # is a character");
        assertEquals("[]#]x", MongoFilter.unextended("[]#] x"), "a ] first in a class, and # inside one, are members");
    }
}
