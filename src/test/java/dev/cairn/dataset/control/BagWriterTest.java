package dev.cairn.dataset.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

class BagWriterTest {

    private static final String MD5 = "5d41402abc4b2a76b9719d911017c592"; // "hello"
    private static final String SHA256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    private static byte[] bag(String root) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (BagWriter bag = new BagWriter(out, root, LocalDateTime.of(2026, 12, 1, 10, 30, 4))) {
            bag.addPayload(
                    bag.payloadPath("demo", "Subject.csv"),
                    o -> o.write("RID,Name\n1-A,x\n".getBytes(StandardCharsets.UTF_8)));
            bag.addStoredPayload(
                    bag.payloadPath("assets", "Image", "1-B", "hello.txt"),
                    5,
                    MD5,
                    SHA256,
                    () -> new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8)));
            bag.addRemote(
                    "http://h/hatrac/x:1", bag.payloadPath("assets", "Image", "1-C", "odd%name\n.txt"), 5, MD5, SHA256);
            Map<String, String> info = new LinkedHashMap<>();
            info.put("External-Description", "two\nlines");
            info.put("Payload-Oxum", bag.payloadOxum());
            bag.finish(info);
        }
        return out.toByteArray();
    }

    private static Map<String, String> entries(byte[] zip) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                out.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Test
    void theSameContentGivesTheSameBytes() throws IOException {
        assertArrayEquals(bag("Dataset_1-X_0.2.0"), bag("Dataset_1-X_0.2.0"));
    }

    @Test
    void writesABagItLayoutWithManifestsAndFetch() throws IOException {
        Map<String, String> e = entries(bag("Dataset_1-X_0.2.0"));
        assertEquals(
                List.of(
                        "data/demo/Subject.csv",
                        "data/assets/Image/1-B/hello.txt",
                        "fetch.txt",
                        "manifest-md5.txt",
                        "manifest-sha256.txt",
                        "bagit.txt",
                        "bag-info.txt",
                        "tagmanifest-md5.txt",
                        "tagmanifest-sha256.txt"),
                e.keySet().stream()
                        .map(k -> k.substring("Dataset_1-X_0.2.0/".length()))
                        .toList());
        String root = "Dataset_1-X_0.2.0/";
        assertEquals("hello", e.get(root + "data/assets/Image/1-B/hello.txt"));
        assertEquals("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n", e.get(root + "bagit.txt"));
        // remote files count in the oxum; % and newlines in paths are percent-encoded
        assertTrue(
                e.get(root + "bag-info.txt").contains("Payload-Oxum: " + (15 + 5 + 5) + ".3\n"),
                e.get(root + "bag-info.txt"));
        assertTrue(e.get(root + "bag-info.txt").startsWith("External-Description: two lines\n"));
        assertEquals("http://h/hatrac/x:1 5 data/assets/Image/1-C/odd%25name_.txt\n", e.get(root + "fetch.txt"));
        assertTrue(e.get(root + "manifest-sha256.txt").contains(SHA256 + "  data/assets/Image/1-B/hello.txt\n"));
        assertEquals(3, e.get(root + "manifest-md5.txt").lines().count());
        assertEquals(5, e.get(root + "tagmanifest-sha256.txt").lines().count());
    }

    @Test
    void namesStayInsideTheBag() {
        assertEquals("_", BagWriter.safeSegment(".."));
        assertEquals("a_b_c", BagWriter.safeSegment("a/b\\c"));
        assertEquals("_", BagWriter.safeSegment(""));
        assertEquals("x_y", BagWriter.safeSegment("x\u0000y"));
    }
}
