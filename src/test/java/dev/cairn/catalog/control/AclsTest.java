package dev.cairn.catalog.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** ERMrest's inheritance and implication rules, element by element. */
class AclsTest {

    private static Predicate<List<String>> client(String... roles) {
        return acl ->
                acl != null && (acl.contains("*") || List.of(roles).stream().anyMatch(acl::contains));
    }

    private static Acls.Chain table(
            Map<String, List<String>> catalog, Map<String, List<String>> schema, Map<String, List<String>> table) {
        return new Acls.Chain(Acls.Kind.TABLE, List.of(catalog, schema, table));
    }

    @Test
    void anAclNotSetIsInheritedAndAnEmptyOneDenies() {
        Acls.Chain open = table(Map.of("select", List.of("*")), Map.of(), Map.of());
        assertTrue(Acls.allows(open, "select", client()));
        Acls.Chain closed = table(Map.of("select", List.of("*")), Map.of(), Map.of("select", List.of()));
        assertFalse(Acls.allows(closed, "select", client("user:a")));
        Acls.Chain reopened = table(Map.of("select", List.of()), Map.of("select", List.of("group:g")), Map.of());
        assertTrue(Acls.allows(reopened, "select", client("group:g")));
        assertFalse(Acls.allows(reopened, "select", client("group:h")));
    }

    @Test
    void ownersAccumulateAndHoldEveryRight() {
        Acls.Chain chain = table(
                Map.of("owner", List.of("user:boss")),
                Map.of("owner", List.of("user:lead")),
                Map.of("owner", List.of("user:me"), "select", List.of()));
        for (String owner : List.of("user:boss", "user:lead", "user:me")) {
            assertTrue(Acls.allows(chain, "delete", client(owner)), owner);
            assertTrue(Acls.allows(chain, "select", client(owner)), owner);
        }
        assertFalse(Acls.allows(chain, "select", client("user:other")));
    }

    @Test
    void writeImpliesInsertUpdateDeleteAndAnyRightImpliesEnumerate() {
        Acls.Chain chain = table(Map.of(), Map.of(), Map.of("write", List.of("group:w"), "insert", List.of("group:i")));
        assertTrue(Acls.allows(chain, "update", client("group:w")));
        assertTrue(Acls.allows(chain, "delete", client("group:w")));
        assertTrue(Acls.allows(chain, "insert", client("group:i")));
        assertFalse(Acls.allows(chain, "update", client("group:i")));
        assertTrue(Acls.allows(chain, "enumerate", client("group:i")));
        assertFalse(Acls.allows(chain, "select", client("group:i")), "enumerate is not select");
        assertFalse(Acls.allows(chain, "enumerate", client("group:x")));
    }

    @Test
    void rightsSummariseEachAccessOfTheKind() {
        Acls.Chain column = new Acls.Chain(
                Acls.Kind.COLUMN,
                List.of(Map.of("select", List.of("*")), Map.of(), Map.of(), Map.of("update", List.of("user:u"))));
        Map<String, Boolean> rights = Acls.rights(column, client("user:u"));
        assertEquals(List.of("select", "insert", "update", "write", "enumerate"), List.copyOf(rights.keySet()));
        assertEquals(
                Map.of("select", true, "insert", false, "update", true, "write", false, "enumerate", true), rights);
    }
}
