package dev.cairn.catalog.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.catalog.control.DataPath.Aggregate;
import dev.cairn.catalog.control.DataPath.And;
import dev.cairn.catalog.control.DataPath.Api;
import dev.cairn.catalog.control.DataPath.ColumnRef;
import dev.cairn.catalog.control.DataPath.FilterElement;
import dev.cairn.catalog.control.DataPath.JoinType;
import dev.cairn.catalog.control.DataPath.LinkElement;
import dev.cairn.catalog.control.DataPath.Not;
import dev.cairn.catalog.control.DataPath.Operator;
import dev.cairn.catalog.control.DataPath.Or;
import dev.cairn.catalog.control.DataPath.Predicate;
import dev.cairn.catalog.control.DataPath.ResetElement;
import dev.cairn.catalog.control.DataPath.SortKey;
import dev.cairn.catalog.control.DataPath.TableElement;
import dev.cairn.platform.CairnException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DataPathParserTest {

    private static ColumnRef col(String... parts) {
        return new ColumnRef(List.of(Arrays.copyOf(parts, parts.length - 1)), parts[parts.length - 1]);
    }

    @Test
    void tablesAliasesAndResets() {
        DataPath p = DataPathParser.parse(Api.ENTITY, "A:=deriva-ml:Execution/W:=Workflow/$A");
        assertEquals(
                new TableElement("A", "deriva-ml", "Execution"), p.elements().get(0));
        assertEquals(new TableElement("W", null, "Workflow"), p.elements().get(1));
        assertEquals(new ResetElement("A"), p.elements().get(2));
    }

    @Test
    void rightsSummariesAreProjectionsOfRid() {
        DataPath p = DataPathParser.parse(Api.ATTRIBUTE, "T/RID,r:=trs(RID),c:=tcrs(RID)");
        assertEquals(DataPath.Aggregate.TRS, p.projection().get(1).function());
        assertEquals(DataPath.Aggregate.TCRS, p.projection().get(2).function());
        for (String bad : List.of("T/trs(RID)", "T/r:=trs(Name)", "T/r:=trs(*)")) {
            assertEquals(
                    400,
                    Assertions.assertThrows(CairnException.class, () -> DataPathParser.parse(Api.ATTRIBUTE, bad), bad)
                            .status());
        }
    }

    @Test
    void percentDecodingOfNamesAndLiterals() {
        DataPath p = DataPathParser.parse(Api.ENTITY, "my%20schema:T%3Ax/Name=a%2Fb%3Bc%26d%3D%C3%A9");
        assertEquals(new TableElement(null, "my schema", "T:x"), p.elements().get(0));
        assertEquals(
                new FilterElement(new Predicate(col("Name"), Operator.EQ, "a/b;c&d=é")),
                p.elements().get(1));
    }

    @Test
    void everyOperator() {
        for (Operator op : Operator.values()) {
            String text = op == Operator.NULL ? "T/c::null::" : "T/c" + op.syntax() + "v";
            Predicate pr = (Predicate) ((FilterElement)
                            DataPathParser.parse(Api.ENTITY, text).elements().get(1))
                    .filter();
            assertEquals(op, pr.operator(), text);
            assertEquals(op == Operator.NULL ? null : "v", pr.literal());
        }
        Predicate empty = (Predicate) ((FilterElement)
                        DataPathParser.parse(Api.ENTITY, "T/c=").elements().get(1))
                .filter();
        assertEquals("", empty.literal());
        Predicate free = (Predicate) ((FilterElement) DataPathParser.parse(Api.ENTITY, "T/*::ciregexp::x")
                        .elements()
                        .get(1))
                .filter();
        assertTrue(free.column().star());
    }

    @Test
    void precedenceNegationAndParentheses() {
        // ! binds tightest, then &, then ;
        FilterElement f = (FilterElement) DataPathParser.parse(Api.ENTITY, "T/a=1&!b=2;(c=3;d=4)&e::null::")
                .elements()
                .get(1);
        Or or = (Or) f.filter();
        And left = (And) or.terms().get(0);
        assertEquals(new Predicate(col("a"), Operator.EQ, "1"), left.terms().get(0));
        assertEquals(
                new Not(new Predicate(col("b"), Operator.EQ, "2")), left.terms().get(1));
        And right = (And) or.terms().get(1);
        assertTrue(right.terms().get(0) instanceof Or);
        assertEquals(new Predicate(col("e"), Operator.NULL, null), right.terms().get(1));
        assertTrue(
                ((FilterElement) DataPathParser.parse(Api.ENTITY, "T/(a=1)")
                                        .elements()
                                        .get(1))
                                .filter()
                        instanceof Predicate);
        assertTrue(
                ((FilterElement) DataPathParser.parse(Api.ENTITY, "T/!(a=1&b=2)")
                                        .elements()
                                        .get(1))
                                .filter()
                        instanceof Not);
    }

    @Test
    void qualifiedColumns() {
        Predicate p = (Predicate) ((FilterElement) DataPathParser.parse(Api.ENTITY, "A:=T/U/A:x=1")
                        .elements()
                        .get(2))
                .filter();
        assertEquals(col("A", "x"), p.column());
        Predicate q = (Predicate) ((FilterElement) DataPathParser.parse(Api.ENTITY, "T/s:t:x::gt::1")
                        .elements()
                        .get(1))
                .filter();
        assertEquals(col("s", "t", "x"), q.column());
    }

    @Test
    void linksByEndpointAndExplicitMappingAndOuterJoins() {
        DataPath p = DataPathParser.parse(
                Api.ENTITY, "T/(Workflow)/W2:=left(Workflow)=(deriva-ml:Workflow:RID)/(a,b)=(U:c,d)");
        assertEquals(
                new LinkElement(null, JoinType.INNER, List.of(col("Workflow")), null),
                p.elements().get(1));
        assertEquals(
                new LinkElement(
                        "W2", JoinType.LEFT, List.of(col("Workflow")), List.of(col("deriva-ml", "Workflow", "RID"))),
                p.elements().get(2));
        LinkElement pair = (LinkElement) p.elements().get(3);
        assertEquals(List.of(col("U", "c"), col("d")), pair.right());
        assertEquals(
                JoinType.FULL,
                ((LinkElement) DataPathParser.parse(Api.ENTITY, "T/full(a)=(U:b)")
                                .elements()
                                .get(1))
                        .type());
    }

    @Test
    void projectionsAggregatesAndGroups() {
        DataPath attribute = DataPathParser.parse(Api.ATTRIBUTE, "A:=T/U/RID,n:=Name,A:*,*");
        assertEquals(4, attribute.projection().size());
        assertEquals("n", attribute.projection().get(1).name());
        assertTrue(attribute.projection().get(2).column().star());
        assertEquals(List.of("A"), attribute.projection().get(2).column().qualifiers());

        DataPath aggregate =
                DataPathParser.parse(Api.AGGREGATE, "T/n:=cnt(*),d:=cnt_d(Name),m:=max(A:Length),a:=array_d(A:*)");
        assertEquals(Aggregate.CNT, aggregate.projection().get(0).function());
        assertTrue(aggregate.projection().get(0).column().star());
        assertEquals(Aggregate.ARRAY_D, aggregate.projection().get(3).function());

        DataPath group = DataPathParser.parse(Api.ATTRIBUTEGROUP, "T/k:=Type,Name;n:=cnt(*),example");
        assertEquals(2, group.groupKeys().size());
        assertEquals(2, group.projection().size());
        assertNull(group.projection().get(1).function());
    }

    @Test
    void sortAndPaging() {
        DataPath p = DataPathParser.parse(Api.ENTITY, "T/a=1@sort(Name::desc::,RID)@after(x%2Cy,::null::)@before(,Z)");
        assertEquals(List.of(new SortKey("Name", true), new SortKey("RID", false)), p.sort());
        assertEquals(Arrays.asList("x,y", null), p.after());
        assertEquals(List.of("", "Z"), p.before());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "T/",
                "/T",
                "T//a=1",
                "a=1",
                "T/a=1&",
                "T/(a=1",
                "T/a=1)",
                "T/a::nope::1",
                "T/a:=b=1",
                "T/$",
                "$A",
                "T@sort()",
                "T@sort(a",
                "T@after(x)",
                "T@sort(a)@after(x,y)",
                "T@frobnicate(a)",
                "T/a=%ZZ",
                "T/a=%C3",
                "T/a=%00",
                "T/left(a)",
                "T/(a,b)=(c)",
                "T/a::gt::1@sort(a::asc::)",
                "T/x:y:z:w=1",
                "T/*=1",
                "T/a=1'; DROP TABLE x; --&b=(",
                "T/q:=(a=1)"
            })
    void malformedPathsAreBadRequestsThatSayWhere(String raw) {
        CairnException e = assertThrows(CairnException.class, () -> DataPathParser.parse(Api.ENTITY, raw), raw);
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("character") || e.getMessage().contains("list"), e.getMessage());
    }

    @Test
    void projectionsAreChecked() {
        assertThrows(CairnException.class, () -> DataPathParser.parse(Api.ATTRIBUTE, "T"));
        assertThrows(CairnException.class, () -> DataPathParser.parse(Api.ATTRIBUTE, "T/n:=cnt(*)"));
        assertThrows(CairnException.class, () -> DataPathParser.parse(Api.AGGREGATE, "T/cnt(*)"));
        assertThrows(CairnException.class, () -> DataPathParser.parse(Api.AGGREGATE, "T/n:=median(x)"));
        assertThrows(CairnException.class, () -> DataPathParser.parse(Api.AGGREGATE, "T/n:=max(*)"));
        assertThrows(CairnException.class, () -> DataPathParser.parse(Api.ATTRIBUTE, "T/x:=*"));
    }
}
