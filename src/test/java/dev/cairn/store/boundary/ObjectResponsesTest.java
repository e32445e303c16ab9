package dev.cairn.store.boundary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.platform.CairnException;
import org.junit.jupiter.api.Test;

class ObjectResponsesTest {

    @Test
    void singleRanges() {
        assertArrayEquals(new long[] {0, 99}, ObjectResponses.span("bytes=0-99", 1000));
        assertArrayEquals(new long[] {500, 999}, ObjectResponses.span("bytes=500-", 1000));
        assertArrayEquals(new long[] {900, 999}, ObjectResponses.span("bytes=-100", 1000));
        assertArrayEquals(new long[] {0, 999}, ObjectResponses.span("bytes=-5000", 1000));
        assertArrayEquals(new long[] {990, 999}, ObjectResponses.span("bytes=990-5000", 1000));
    }

    @Test
    void unsupportedFormsSendEverything() {
        assertNull(ObjectResponses.span("bytes=0-1,5-6", 1000));
        assertNull(ObjectResponses.span("items=0-1", 1000));
        assertNull(ObjectResponses.span("bytes=-", 1000));
    }

    @Test
    void unsatisfiableRangesAre416() {
        CairnException e = assertThrows(CairnException.class, () -> ObjectResponses.span("bytes=1000-", 1000));
        assertEquals(416, e.status());
        assertThrows(CairnException.class, () -> ObjectResponses.span("bytes=5-2", 1000));
        assertThrows(CairnException.class, () -> ObjectResponses.span("bytes=-0", 1000));
        assertThrows(CairnException.class, () -> ObjectResponses.span("bytes=0-", 0));
    }

    @Test
    void contentDispositionKeepsOnlyPlainFilenames() {
        assertEquals("filename*=UTF-8''mask%20v2.png", ContentDisposition.check("filename*=UTF-8''mask%20v2.png"));
        assertDoesNotThrow(() -> ContentDisposition.check("attachment; filename*=UTF-8''a.txt"));
        assertNull(ContentDisposition.check(null));
        for (String bad : new String[] {
            "filename*=UTF-8''../etc/passwd",
            "filename*=UTF-8''a%2Fb",
            "filename*=UTF-8''a%5Cb",
            "filename=\"a.txt\"",
            "filename*=UTF-8''",
            "filename*=UTF-8''a\r\nX-Injected: 1"
        }) {
            assertThrows(CairnException.BadRequest.class, () -> ContentDisposition.check(bad), bad);
        }
    }
}
