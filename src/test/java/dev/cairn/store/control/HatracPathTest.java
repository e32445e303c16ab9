package dev.cairn.store.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.platform.CairnException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HatracPathTest {

    @Test
    void rootNamespace() {
        assertTrue(HatracPath.parse("").isRoot());
        assertTrue(HatracPath.parse("/").isRoot());
        assertEquals("/hatrac/", HatracPath.url("/", null));
    }

    @Test
    void namesVersionsAndSubResources() {
        HatracPath p = HatracPath.parse("/cat/1/Image/abc.png:ABC123");
        assertEquals("/cat/1/Image/abc.png", p.name());
        assertEquals("ABC123", p.version());
        assertEquals(HatracPath.Sub.NONE, p.sub());

        assertEquals(
                HatracPath.Sub.VERSIONS, HatracPath.parse("/a/obj;versions").sub());
        HatracPath chunk = HatracPath.parse("/a/obj;upload/JOB1/3");
        assertEquals(HatracPath.Sub.UPLOAD, chunk.sub());
        assertEquals("JOB1", chunk.job());
        assertEquals(3, chunk.chunk());
        assertNull(HatracPath.parse("/a/obj;upload").job());
        assertEquals(
                "content-md5",
                HatracPath.parse("/a/obj:V1;metadata/Content-MD5").field());
        assertEquals("/a", HatracPath.parse("/a/").name());
    }

    @Test
    void encodedSyntaxIsPartOfTheName() {
        HatracPath p = HatracPath.parse("/a/x%3Ay%3Bz%20%C3%A9+");
        assertEquals("/a/x:y;z é+", p.name());
        assertNull(p.version());
        assertEquals("/hatrac/a/x%3Ay%3Bz%20%C3%A9%2B", HatracPath.url(p.name(), null));
        assertEquals(
                p.name(),
                HatracPath.parse(HatracPath.url(p.name(), null).substring("/hatrac".length()))
                        .name());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/a/..",
                "/a/../b",
                "/..",
                "/a/.",
                "/a/%2e%2e/b",
                "/a/%2E%2E",
                "/a/..%2F..%2Fetc",
                "/a/b%2Fc",
                "/a/b%5c..%5c..%2Fx",
                "/a//b",
                "/a/%00",
                "/a/b%0Ac",
                "/a/%ZZ",
                "/a/%C3",
                "/a/%",
                "a/b",
                "/a/obj:bad-version",
                "/a/obj;unknown",
                "/a/obj;upload/J/x",
                "/a/obj;upload/J/-1",
                "/a/obj;upload//1",
                "/:V1"
            })
    void hostileOrMalformedPathsAreRefused(String raw) {
        assertThrows(CairnException.class, () -> HatracPath.parse(raw), raw);
    }

    @Test
    void longNamesAreRefused() {
        String segment = "s".repeat(255);
        assertEquals("/" + segment, HatracPath.parse("/" + segment).name());
        assertThrows(CairnException.BadRequest.class, () -> HatracPath.parse("/" + segment + "s"));
        String deep = ("/" + "d".repeat(200)).repeat(25);
        assertThrows(CairnException.BadRequest.class, () -> HatracPath.parse(deep));
    }

    @Test
    void parentsAndLineage() {
        assertEquals("/a/b", HatracPath.parentOf("/a/b/c"));
        assertEquals("/", HatracPath.parentOf("/a"));
    }
}
