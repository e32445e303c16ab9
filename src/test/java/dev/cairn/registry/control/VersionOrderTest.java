package dev.cairn.registry.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VersionOrderTest {

    @Test
    void semverPrecedenceThenOtherStringsBelow() {
        List<String> ordered = List.of(
                "abc",
                "latest-build",
                "0.1",
                "0.9",
                "1.0.0-alpha",
                "1.0.0-alpha.1",
                "1.0.0-alpha.beta",
                "1.0.0-beta.2",
                "1.0.0-beta.11",
                "1.0.0-rc.1",
                "1.0",
                "1.0.0.1",
                "1.9.0",
                "v1.10.0",
                "2.0.0",
                "10.0.0");
        List<String> shuffled = new ArrayList<>(ordered);
        Collections.shuffle(shuffled, new Random(7));
        shuffled.sort(VersionOrder.OLDEST_FIRST);
        assertEquals(ordered, shuffled);
    }

    @Test
    void missingComponentsAreZeroAndLeadingZerosDoNotCount() {
        assertEquals(VersionOrder.key("1"), VersionOrder.key("1.0.0"));
        assertEquals(VersionOrder.key("01.002.0"), VersionOrder.key("1.2.0"));
        assertEquals(VersionOrder.key("v2.1"), VersionOrder.key("2.1.0"));
    }

    @Test
    void buildMetadataKeepsEqualPrecedenceApartButAdjacent() {
        List<String> sorted = new ArrayList<>(List.of("1.0.1", "1.0.0+b", "1.0.0", "1.0.0+a"));
        sorted.sort(VersionOrder.OLDEST_FIRST);
        assertEquals(List.of("1.0.0", "1.0.0+a", "1.0.0+b", "1.0.1"), sorted);
    }

    @Test
    void keysCompareByCodePointNotUtf16() {
        // U+FFFD sorts below U+1F600 by code point, though its UTF-16 unit is above the surrogate
        assertEquals(-1, Integer.signum(VersionOrder.BY_KEY.compare("\uFFFD", "\uD83D\uDE00")));
    }

    @Test
    void theNextVersionOfANameThatNamesNone() {
        assertEquals("1", VersionOrder.next(List.of()).orElseThrow());
        assertEquals("4", VersionOrder.next(List.of("1", "3", "2")).orElseThrow());
        assertEquals(
                "1.4.1",
                VersionOrder.next(List.of("1.4.0", "1.10.0-rc.1", "1.3.9")).orElseThrow(),
                "the newest release, not a pre-release");
        assertEquals("1.4.1", VersionOrder.next(List.of("1.4.0", "2.0.0-rc.1")).orElseThrow());
        assertEquals("v2.0.1", VersionOrder.next(List.of("v2")).orElseThrow());
        assertEquals("1.2.1", VersionOrder.next(List.of("1.2")).orElseThrow());
        assertEquals(
                "2.0.0",
                VersionOrder.next(List.of("2.0.0-rc.1", "2.0.0-rc.2")).orElseThrow(),
                "only pre-releases: their release");
        assertEquals(
                "1.0.2",
                VersionOrder.next(List.of("1.0.0", "1.0.1+build", "1.0.1")).orElseThrow(),
                "never a version the name had");
        assertTrue(VersionOrder.next(List.of("initial")).isEmpty(), "no semver: the client must name it");
        assertTrue(VersionOrder.isPreRelease("2.0.0-rc.1"));
        assertTrue(!VersionOrder.isPreRelease("2.0.0") && !VersionOrder.isPreRelease("initial-build"));
    }
}
