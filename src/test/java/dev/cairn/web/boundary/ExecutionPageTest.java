package dev.cairn.web.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Durations as the execution page shows them, from DerivaML's {@code 0H 0min 5.9800sec}. */
class ExecutionPageTest {

    @Test
    void durationsReadAsAPersonWritesThem() {
        assertEquals("5.98 s", ExecutionPage.duration("0H 0min 5.9800sec"));
        assertEquals("2 min 0.5 s", ExecutionPage.duration("0H 2min 0.5000sec"));
        assertEquals("1 h 0 min 3 s", ExecutionPage.duration("1H 0min 3.0000sec"));
        assertEquals("0 s", ExecutionPage.duration("0H 0min 0.0010sec"));
        assertEquals("", ExecutionPage.duration(""));
        assertEquals("soon", ExecutionPage.duration("soon"));
    }
}
