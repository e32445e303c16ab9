package dev.cairn.platform;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A stack overflow is the client's deep input only when a parser overflowed; elsewhere it is a bug in Cairn (500). */
class ProblemMapperTest {

    private static StackOverflowError overflowIn(String type) {
        StackOverflowError error = new StackOverflowError();
        error.setStackTrace(new StackTraceElement[] {
            new StackTraceElement(type, "read", "X.java", 1), new StackTraceElement(type, "read", "X.java", 1)
        });
        return error;
    }

    private static int recurse(int n) {
        return recurse(n + 1) + 1;
    }

    @Test
    void anOverflowInAParserIsTheClientsDeepInput() {
        assertTrue(ProblemMapper.inParser(overflowIn("org.eclipse.parsson.JsonParserImpl")));
        assertTrue(ProblemMapper.inParser(overflowIn("com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer")));
    }

    @Test
    void anOverflowInCairnsOwnCodeIsABug() {
        assertFalse(ProblemMapper.inParser(overflowIn("dev.cairn.catalog.control.DataAccess")));
        try {
            recurse(0);
        } catch (StackOverflowError real) {
            assertFalse(ProblemMapper.inParser(real));
        }
    }
}
