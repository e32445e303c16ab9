package dev.cairn.execution.boundary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.CairnSpec;
import dev.cairn.Http.Reply;
import dev.cairn.execution.control.Executions;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Seed 000's story over HTTP, and the rules around it: vocabularies, asset tables, workflows,
 * executions, staging, all-or-nothing commits and their retries.
 */
public abstract class DerivaMlSpec extends CairnSpec {

    /** Where the shared deployment keeps execution working directories (failsafe's CAIRN_DATA_DIR). */
    /** Where the object store keeps staged content; an execution's files are the {@code ws-} ones. */
    private static final Path STAGING = Path.of("target/it-data/arquillian/store/staging");

    /** The staged files of every execution, by id. */
    private static Set<String> stagedFiles() throws IOException {
        try (Stream<Path> files = Files.list(STAGING)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith("ws-"))
                    .collect(Collectors.toSet());
        }
    }

    private String api;
    private String cid;

    @BeforeEach
    void catalogWithSubjects() {
        cid = createCatalog("{\"name\": \"ml\", \"domainSchema\": \"demo\"}").getString("id");
        api = "/api/catalogs/" + cid;
        assertEquals(
                201,
                http().postJson(
                                "/ermrest/catalog/" + cid + "/schema/demo/table",
                                "{\"table_name\": \"Subject\", \"column_definitions\": [{\"name\": \"Name\", \"type\": {\"typename\": \"text\"}}]}")
                        .status());
    }

    static byte[] bytes(int seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String md5(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    private Reply post(String path, String json) {
        return http().postJson(api + path, json);
    }

    private JsonObject created(String path, String json) {
        Reply reply = post(path, json);
        assertEquals(201, reply.status(), reply::toString);
        return reply.json();
    }

    private String imageTable() {
        return created(
                        "/asset-tables",
                        "{\"name\": \"Image\", \"comment\": \"Medical images linked to subjects\", "
                                + "\"columns\": [{\"name\": \"Width\", \"type\": \"int4\", \"comment\": \"Image width in pixels\"}, "
                                + "{\"name\": \"Height\", \"type\": \"int4\", \"comment\": \"Image height in pixels\"}, "
                                + "{\"name\": \"Format\", \"type\": \"text\", \"comment\": \"Image format\"}], "
                                + "\"referencedTables\": [\"Subject\"]}")
                .getString("name");
    }

    private String workflow() {
        return created(
                        "/workflows",
                        "{\"name\": \"Segmenter\", \"type\": \"Training\", \"description\": \"trains\", "
                                + "\"url\": \"https://example.org/seg.git\", \"checksum\": \"0123abcd\", \"version\": \"1.0\"}")
                .getString("RID");
    }

    private String execution(String workflow, String extra) {
        return created("/executions", "{\"workflow\": \"" + workflow + "\", \"description\": \"a run\"" + extra + "}")
                .getString("RID");
    }

    /** An execution that runs: outputs are staged from then on. */
    private String running(String workflow) {
        String execution = execution(workflow, "");
        assertEquals(200, status(execution, "Running").status());
        return execution;
    }

    private Reply status(String execution, String status) {
        return http().send(
                        "PUT",
                        api + "/executions/" + execution + "/status",
                        "application/json",
                        "{\"status\": \"" + status + "\", \"detail\": \"now " + status + "\"}");
    }

    private Reply stage(
            String execution, String table, String rawFilename, byte[] content, String query, String... headers) {
        return http().put(
                        api + "/executions/" + execution + "/outputs/" + table + "/" + rawFilename + query,
                        content,
                        headers);
    }

    @Test
    void seedStoryEndToEnd() throws Exception {
        Set<String> stagedBefore = stagedFiles();
        // create the Image asset table: Width, Height, Format, and a reference to Subject
        assertEquals("Image", imageTable());
        JsonObject model = http().get("/ermrest/catalog/" + cid + "/schema")
                .json()
                .getJsonObject("schemas")
                .getJsonObject("demo")
                .getJsonObject("tables");
        assertTrue(
                model.keySet().containsAll(Set.of("Image", "Image_Asset_Type", "Image_Execution")),
                model.keySet()::toString);
        Set<String> columns =
                model.getJsonObject("Image").getJsonArray("column_definitions").getValuesAs(JsonObject.class).stream()
                        .map(c -> c.getString("name"))
                        .collect(Collectors.toSet());
        assertTrue(
                columns.containsAll(Set.of(
                        "RID",
                        "URL",
                        "Filename",
                        "Length",
                        "MD5",
                        "Description",
                        "Width",
                        "Height",
                        "Format",
                        "Subject")),
                columns::toString);
        assertEquals(
                "Image width in pixels",
                model.getJsonObject("Image").getJsonArray("column_definitions").getValuesAs(JsonObject.class).stream()
                        .filter(c -> c.getString("name").equals("Width"))
                        .findFirst()
                        .orElseThrow()
                        .getString("comment"));
        assertEquals(
                200,
                http().get(api + "/vocabularies/Asset_Type/terms/Image").status(),
                "an Asset_Type term for the table");

        // add Segmentation_Mask to Asset_Type; adding it again returns the same term; a synonym finds it
        JsonObject term = created(
                "/vocabularies/Asset_Type/terms",
                "{\"name\": \"Segmentation_Mask\", \"description\": \"Binary mask images\", \"synonyms\": [\"Mask\"]}");
        Reply again =
                post("/vocabularies/Asset_Type/terms", "{\"name\": \"Segmentation_Mask\", \"description\": \"other\"}");
        assertEquals(200, again.status());
        assertEquals(term.getString("RID"), again.json().getString("RID"));
        assertEquals(
                "Segmentation_Mask",
                http().get(api + "/vocabularies/Asset_Type/terms/Mask").json().getString("Name"));
        assertTrue(http().get(api + "/vocabularies/Asset_Type/terms").jsonArray().getValuesAs(JsonObject.class).stream()
                .anyMatch(t -> t.getString("Name").equals("Segmentation_Mask")));

        // a workflow (the same URL and checksum give the same one) and an execution
        String workflow = workflow();
        Reply sameWorkflow = post(
                "/workflows",
                "{\"name\": \"other\", \"type\": \"Training\", "
                        + "\"url\": \"https://example.org/seg.git\", \"checksum\": \"0123abcd\"}");
        assertEquals(200, sameWorkflow.status());
        assertEquals(workflow, sameWorkflow.json().getString("RID"));
        String execution = execution(workflow, "");
        assertEquals(200, status(execution, "Running").status());

        // stage two files with types, one with a name that needs encoding
        byte[] image = bytes(1, 150_000);
        byte[] mask = bytes(2, 40_000);
        Reply staged = stage(
                execution,
                "Image",
                "scan%201.png",
                image,
                "?type=Segmentation_Mask&description=first%20scan",
                "Content-MD5",
                Base64.getEncoder().encodeToString(HexFormat.of().parseHex(md5(image))));
        assertEquals(201, staged.status(), staged::toString);
        assertEquals("scan 1.png", staged.json().getString("filename"));
        assertEquals(md5(image), staged.json().getString("md5"));
        assertEquals(
                201,
                stage(execution, "Image", "mask;1.png", mask, "?type=Mask&type=Image")
                        .status());
        JsonArray listed =
                http().get(api + "/executions/" + execution + "/outputs").jsonArray();
        assertEquals(2, listed.size());
        assertEquals(
                List.of("Segmentation_Mask", "Image"),
                listed.getJsonObject(0).getJsonArray("types").getValuesAs(JsonString.class).stream()
                        .map(JsonString::getString)
                        .toList(),
                "mask;1.png sorts first");
        assertEquals(
                0,
                http().get("/ermrest/catalog/" + cid + "/entity/demo:Image")
                        .jsonArray()
                        .size(),
                "nothing in the catalog yet");

        // commit
        assertEquals(200, status(execution, "Stopped").status());
        Reply committed = post("/executions/" + execution + "/commit", "");
        assertEquals(200, committed.status(), committed::toString);
        JsonObject done = committed.json();
        assertEquals("Uploaded", done.getString("Status"));
        assertTrue(done.getString("Upload_Duration").matches("\\d+H \\d+min [0-9.]+sec"), done::toString);
        assertTrue(done.getString("Execution_Duration").matches("\\d+H \\d+min [0-9.]+sec"), done::toString);
        assertEquals("done", done.getJsonObject("Commit").getString("state"));
        assertEquals(2, done.getJsonObject("Commit").getInt("filesDone"));
        assertEquals(0, done.getJsonArray("Staged").size());
        assertEquals(stagedBefore, stagedFiles(), "the staged files are removed once committed");

        // list assets with their types
        JsonArray assets = http().get(api + "/asset-tables/Image/assets").jsonArray();
        assertEquals(2, assets.size());
        for (JsonObject asset : assets.getValuesAs(JsonObject.class)) {
            Set<String> types = asset.getJsonArray("Asset_Type").getValuesAs(JsonString.class).stream()
                    .map(JsonString::getString)
                    .collect(Collectors.toSet());
            byte[] expected = asset.getString("Filename").equals("scan 1.png") ? image : mask;
            assertEquals(md5(expected), asset.getString("MD5"));
            assertEquals(expected.length, asset.getJsonNumber("Length").longValue());
            assertTrue(types.containsAll(Set.of("Segmentation_Mask", "Output_File")), types::toString);
            assertTrue(
                    asset.getString("URL").startsWith("/hatrac/" + cid + "/demo/Image/" + md5(expected) + "."),
                    asset::toString);
            // download the file and check its MD5
            HttpResponse<byte[]> download = http().bytes(asset.getString("URL"));
            assertEquals(200, download.statusCode());
            assertArrayEquals(expected, download.body());
        }
        assertEquals(
                "first scan",
                assets.getValuesAs(JsonObject.class).stream()
                        .filter(a -> a.getString("Filename").equals("scan 1.png"))
                        .findFirst()
                        .orElseThrow()
                        .getString("Description"));

        // query Image_Execution for role Output through ERMrest
        JsonArray outputs = http().get("/ermrest/catalog/" + cid + "/entity/demo:Image_Execution/Execution=" + execution
                        + "/Asset_Role=Output")
                .jsonArray();
        assertEquals(2, outputs.size());

        // one asset: its types and the execution that produced it
        String rid = assets.getJsonObject(0).getString("RID");
        JsonObject one = http().get(api + "/assets/" + rid).json();
        assertEquals("Image", one.getString("table"));
        assertEquals(execution, one.getJsonArray("Executions").getJsonObject(0).getString("Execution"));
        assertEquals("Output", one.getJsonArray("Executions").getJsonObject(0).getString("Asset_Role"));

        // a later execution uses it as input
        String second = execution(workflow, ", \"assets\": [\"" + rid + "\"]");
        JsonObject secondDoc = http().get(api + "/executions/" + second).json();
        assertEquals("Input", secondDoc.getJsonArray("Assets").getJsonObject(0).getString("Asset_Role"));
        assertEquals(
                2,
                http().get(api + "/assets/" + rid)
                        .json()
                        .getJsonArray("Executions")
                        .size());

        // a repeated commit is refused, and changes nothing
        assertProblem(409, post("/executions/" + execution + "/commit", ""));
        assertEquals(
                2, http().get(api + "/asset-tables/Image/assets").jsonArray().size());
    }

    @Test
    void badRequestsAreRefusedAndStageNothing() throws Exception {
        Set<String> stagedBefore = stagedFiles();
        imageTable();
        String workflow = workflow();
        String created = execution(workflow, "");
        assertProblem(409, stage(created, "Image", "early.png", bytes(3, 10), ""));
        assertProblem(409, post("/executions/" + created + "/commit", ""));
        String execution = running(workflow);
        byte[] content = bytes(3, 1000);
        assertProblem(400, stage(execution, "NoSuchTable", "a.png", content, ""));
        assertProblem(400, stage(execution, "Subject", "a.png", content, ""));
        assertProblem(400, stage(execution, "Image", "a.png", content, "?type=NoSuchType"));
        assertProblem(400, stage(execution, "Image", "..", content, ""));
        assertProblem(400, stage(execution, "Image", "a%2Fb.png", content, ""));
        assertProblem(400, stage(execution, "Image", "x".repeat(240), content, ""));
        assertProblem(
                400,
                stage(
                        execution,
                        "Image",
                        "a.png",
                        content,
                        "",
                        "Content-MD5",
                        Base64.getEncoder().encodeToString(new byte[16])));
        assertProblem(404, stage("1-ZZZZ", "Image", "a.png", content, ""));
        assertEquals(
                0,
                http().get(api + "/executions/" + execution + "/outputs")
                        .jsonArray()
                        .size());
        assertEquals(stagedBefore, stagedFiles(), "no staged file is left");

        // status: unknown, invalid transitions, commit-only states
        assertProblem(400, status(execution, "Sleeping"));
        assertProblem(409, status(execution, "Created"));
        assertProblem(409, status(execution, "Uploaded"));
        assertProblem(409, post("/executions/" + execution + "/commit", ""));
        assertProblem(400, post("/executions", "{\"workflow\": \"1-ZZZZ\"}"));
        assertProblem(400, post("/workflows", "{\"name\": \"w\", \"type\": \"NoSuchType\"}"));
        assertProblem(
                400,
                post("/asset-tables", "{\"name\": \"Bad\", \"columns\": [{\"name\": \"MD5\", \"type\": \"text\"}]}"));
        assertProblem(
                400,
                post("/asset-tables", "{\"name\": \"Bad\", \"columns\": [{\"name\": \"X\", \"type\": \"blob\"}]}"));
        assertProblem(404, http().get(api + "/vocabularies/Asset_Type/terms/NoSuchTerm"));
        assertProblem(404, http().get(api + "/vocabularies/Subject/terms"));

        // an aborted execution commits nothing, and stages nothing more
        assertEquals(200, status(execution, "Aborted").status());
        assertProblem(409, post("/executions/" + execution + "/commit", ""));
        assertProblem(409, stage(execution, "Image", "late.png", content, ""));
    }

    @Test
    void stagedFilesCanBeReplacedAndRemoved() throws Exception {
        Set<String> stagedBefore = stagedFiles();
        imageTable();
        String execution = running(workflow());
        assertEquals(201, stage(execution, "Image", "a.png", bytes(4, 100), "").status());
        Reply replaced = stage(execution, "Image", "a.png", bytes(5, 200), "?description=second");
        assertEquals(201, replaced.status());
        assertEquals(md5(bytes(5, 200)), replaced.json().getString("md5"));
        assertEquals(
                1,
                http().get(api + "/executions/" + execution + "/outputs")
                        .jsonArray()
                        .size());
        assertEquals(201, stage(execution, "Image", "b.png", bytes(6, 300), "").status());
        assertEquals(
                204,
                http().delete(api + "/executions/" + execution + "/outputs/Image/b.png")
                        .status());
        assertProblem(404, http().delete(api + "/executions/" + execution + "/outputs/Image/b.png"));
        Set<String> left = stagedFiles();
        left.removeAll(stagedBefore);
        assertEquals(1, left.size(), "replaced and removed files are deleted");
        // kept working directory: the files stay, listed as committed
        assertEquals(200, status(execution, "Stopped").status());
        Reply committed = post("/executions/" + execution + "/commit?clean=false", "");
        assertEquals(200, committed.status(), committed::toString);
        JsonObject kept = http().get(api + "/executions/" + execution + "/outputs")
                .jsonArray()
                .getJsonObject(0);
        assertTrue(kept.getBoolean("committed"));
        assertEquals(
                "second",
                http().get(api + "/assets/" + kept.getString("asset")).json().getString("Description"));
        assertTrue(stagedFiles().containsAll(left), "kept");
    }

    @Test
    void aFailedCommitLeavesNothingAndItsRetryFinishes() throws Exception {
        Set<String> stagedBefore = stagedFiles();
        imageTable();
        String execution = running(workflow());
        byte[] good = bytes(7, 50_000);
        assertEquals(201, stage(execution, "Image", "good.bin", good, "").status());
        assertEquals(
                201, stage(execution, "Image", "bad.bin", bytes(8, 60_000), "").status());
        // the bytes of one staged file go bad on the server's disk
        Set<String> mine = stagedFiles();
        mine.removeAll(stagedBefore);
        for (String id : mine) {
            Path file = STAGING.resolve(id);
            if (Files.size(file) == 60_000) {
                Files.write(file, bytes(9, 60_000));
            }
        }
        assertEquals(200, status(execution, "Failed").status());
        Reply failed = post("/executions/" + execution + "/commit", "");
        assertEquals(409, failed.status(), failed::toString);
        assertTrue(failed.json().getString("detail").contains("bad.bin"), failed::toString);
        JsonObject state = http().get(api + "/executions/" + execution).json();
        assertEquals("Pending_Upload", state.getString("Status"));
        assertEquals("failed", state.getJsonObject("Commit").getString("state"));
        assertEquals(
                0, http().get(api + "/asset-tables/Image/assets").jsonArray().size(), "all or nothing");
        assertProblem(409, stage(execution, "Image", "more.bin", good, ""));

        // unstage the bad file, retry: the good one is committed once, its object has one version
        assertEquals(
                204,
                http().delete(api + "/executions/" + execution + "/outputs/Image/bad.bin")
                        .status());
        Reply retried = post("/executions/" + execution + "/commit", "");
        assertEquals(200, retried.status(), retried::toString);
        assertEquals("Uploaded", retried.json().getString("Status"));
        JsonArray assets = http().get(api + "/asset-tables/Image/assets").jsonArray();
        assertEquals(1, assets.size());
        String url = assets.getJsonObject(0).getString("URL");
        String object = url.substring(0, url.lastIndexOf(':'));
        assertEquals(1, http().get(object + ";versions").jsonArray().size(), "the retry reused the stored version");
    }

    @Test
    void largeCommitsRunInTheBackgroundWithProgress() throws Exception {
        imageTable();
        String execution = running(workflow());
        for (int i = 0; i < 20; i++) {
            assertEquals(
                    201,
                    stage(execution, "Image", "f" + i + ".bin", bytes(100 + i, 20_000), "")
                            .status());
        }
        assertEquals(200, status(execution, "Stopped").status());
        assertProblem(400, post("/executions/" + execution + "/commit?async=maybe", ""));
        Reply accepted = post("/executions/" + execution + "/commit?async=true", "");
        assertEquals(202, accepted.status(), accepted::toString);
        assertTrue(accepted.header("Location").orElseThrow().endsWith("/executions/" + execution));
        JsonObject doc = accepted.json();
        for (int i = 0; i < 300 && !doc.getString("Status").equals("Uploaded"); i++) {
            Thread.sleep(100);
            doc = http().get(api + "/executions/" + execution).json();
        }
        assertEquals("Uploaded", doc.getString("Status"), doc::toString);
        assertEquals(20, doc.getJsonObject("Commit").getInt("filesDone"));
        assertEquals(
                400_000, doc.getJsonObject("Commit").getJsonNumber("bytesDone").longValue());
        assertEquals(
                20,
                http().get(api + "/asset-tables/Image/assets?limit=20")
                        .jsonArray()
                        .size());
    }

    /** A tar archive of (name, content) entries; a null content makes a symbolic link. */
    private static byte[] tar(boolean gzipped, Object... entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream raw = gzipped ? new GZIPOutputStream(bytes) : bytes;
                TarArchiveOutputStream tar = new TarArchiveOutputStream(raw)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.putArchiveEntry(new TarArchiveEntry("./"));
            tar.closeArchiveEntry();
            for (int i = 0; i < entries.length; i += 2) {
                byte[] content = (byte[]) entries[i + 1];
                TarArchiveEntry entry = content == null
                        ? new TarArchiveEntry((String) entries[i], TarArchiveEntry.LF_SYMLINK)
                        : new TarArchiveEntry((String) entries[i]);
                if (content == null) {
                    entry.setLinkName("/etc/passwd");
                } else {
                    entry.setSize(content.length);
                }
                tar.putArchiveEntry(entry);
                if (content != null) {
                    tar.write(content);
                }
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private Reply stageArchive(String execution, String table, String contentType, byte[] archive, String query) {
        return http().send(http().request(api + "/executions/" + execution + "/outputs/" + table + query)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(archive)));
    }

    @Test
    void anArchiveStagesManyFilesAtOnceAllOrNothing() throws Exception {
        Set<String> stagedBefore = stagedFiles();
        imageTable();
        String execution = running(workflow());
        byte[] a = bytes(20, 5_000);
        byte[] b = bytes(21, 70_000);
        Reply staged = stageArchive(
                execution,
                "Image",
                "application/x-tar",
                tar(false, "./a.png", a, "b.png", b, "empty.txt", new byte[0]),
                "?type=Output_File&description=from%20a%20tar");
        assertEquals(201, staged.status(), staged::toString);
        assertEquals(3, staged.json().getInt("staged"));
        assertEquals(75_000, staged.json().getJsonNumber("length").longValue());
        JsonArray outputs =
                http().get(api + "/executions/" + execution + "/outputs").jsonArray();
        assertEquals(
                List.of("a.png", "b.png", "empty.txt"),
                outputs.getValuesAs(JsonObject.class).stream()
                        .map(o -> o.getString("filename"))
                        .toList());
        assertEquals(md5(b), outputs.getJsonObject(1).getString("md5"));
        assertEquals("from a tar", outputs.getJsonObject(1).getString("description"));
        assertEquals(
                "[\"Output_File\"]",
                outputs.getJsonObject(1).getJsonArray("types").toString());

        // gzipped: a.png replaced (its old bytes removed), d.png added
        byte[] a2 = bytes(22, 6_000);
        byte[] d = bytes(23, 100);
        Reply gz = stageArchive(execution, "Image", "application/gzip", tar(true, "a.png", a2, "d.png", d), "");
        assertEquals(201, gz.status(), gz::toString);
        assertEquals(2, gz.json().getInt("staged"));
        Set<String> mine = stagedFiles();
        mine.removeAll(stagedBefore);
        assertEquals(4, mine.size(), "the replaced file's bytes are gone");

        // refused archives stage nothing and change nothing
        String before =
                http().get(api + "/executions/" + execution + "/outputs").body();
        byte[] good = tar(false, "x.png", bytes(24, 10));
        for (byte[] refused : List.of(
                tar(false, "x.png", bytes(24, 10), "sub/y.png", bytes(25, 10)),
                tar(false, "x.png", bytes(24, 10), "x.png", bytes(25, 10)),
                tar(false, "x.png", bytes(24, 10), "link.png", null),
                tar(false, "x.png", bytes(24, 10), "..", bytes(25, 10)),
                tar(false, "x.png", bytes(24, 10), "z".repeat(240), bytes(25, 10)),
                Arrays.copyOf(tar(false, "x.png", bytes(24, 10), "big.bin", bytes(26, 50_000)), 20_000),
                bytes(27, 5_000),
                tar(false))) {
            assertProblem(400, stageArchive(execution, "Image", "application/x-tar", refused, ""));
        }
        assertProblem(400, stageArchive(execution, "Image", "application/gzip", good, ""));
        ByteArrayOutputStream huge = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(huge)) {
            // a GNU long name of 3 MB, written as its own entry (the library's writer takes quadratic time for it)
            TarArchiveEntry longName = new TarArchiveEntry("././@LongLink", TarConstants.LF_GNUTYPE_LONGNAME);
            longName.setSize(3_000_000);
            tar.putArchiveEntry(longName);
            tar.write("n".repeat(3_000_000).getBytes(StandardCharsets.US_ASCII));
            tar.closeArchiveEntry();
            TarArchiveEntry entry = new TarArchiveEntry("x.png");
            entry.setSize(1);
            tar.putArchiveEntry(entry);
            tar.write(1);
            tar.closeArchiveEntry();
        }
        Reply longName = stageArchive(execution, "Image", "application/x-tar", huge.toByteArray(), "");
        assertProblem(400, longName);
        assertTrue(longName.json().getString("detail").contains("exceed 1 MiB"), longName::toString);
        assertProblem(400, stageArchive(execution, "Image", "application/x-tar", good, "?type=NoSuchType"));
        assertProblem(400, stageArchive(execution, "Subject", "application/x-tar", good, ""));
        assertProblem(415, stageArchive(execution, "Image", "text/plain", good, ""));
        assertProblem(404, stageArchive("1-ZZZZ", "Image", "application/x-tar", good, ""));
        assertEquals(
                before,
                http().get(api + "/executions/" + execution + "/outputs").body());
        Set<String> after = stagedFiles();
        after.removeAll(stagedBefore);
        assertEquals(mine, after, "a refused archive leaves no file");

        // committed as if each had been staged alone
        assertEquals(200, status(execution, "Stopped").status());
        Reply committed = post("/executions/" + execution + "/commit", "");
        assertEquals(200, committed.status(), committed::toString);
        JsonArray assets = http().get(api + "/asset-tables/Image/assets").jsonArray();
        assertEquals(4, assets.size());
        for (JsonObject asset : assets.getValuesAs(JsonObject.class)) {
            byte[] expected = switch (asset.getString("Filename")) {
                case "a.png" -> a2;
                case "b.png" -> b;
                case "d.png" -> d;
                default -> new byte[0];
            };
            assertArrayEquals(expected, http().bytes(asset.getString("URL")).body(), asset::toString);
        }
        assertProblem(409, stageArchive(execution, "Image", "application/x-tar", good, ""));
    }

    /**
     * An execution with more assets than its document lists: the document shows the first 1,000 by
     * RID with the counts, and {@code /assets} pages through every one, linking each full page to the
     * next; careless paging requests are 400.
     */
    @Test
    void anExecutionsAssetsArePagedBeyondTheFirstThousand() throws Exception {
        imageTable();
        String execution = running(workflow());
        int files = Executions.LISTED + 5;
        Object[] entries = new Object[files * 2];
        for (int i = 0; i < files; i++) {
            entries[2 * i] = String.format("f%04d.png", i);
            entries[2 * i + 1] = bytes(1_000 + i, 8);
        }
        Reply staged = stageArchive(execution, "Image", "application/x-tar", tar(false, entries), "");
        assertEquals(201, staged.status(), staged::toString);
        JsonObject before = http().get(api + "/executions/" + execution).json();
        assertEquals(Executions.LISTED, before.getJsonArray("Staged").size());
        assertEquals(files, before.getInt("Staged_Count"));
        assertEquals(0, before.getInt("Asset_Count"));
        assertEquals(200, status(execution, "Stopped").status());
        Reply committed = post("/executions/" + execution + "/commit?async=false", "");
        assertEquals(200, committed.status(), committed::toString);
        JsonObject document = committed.json();
        assertEquals(files, document.getInt("Asset_Count"));
        JsonArray listed = document.getJsonArray("Assets");
        assertEquals(Executions.LISTED, listed.size());

        List<String> paged = new ArrayList<>();
        String next = api + "/executions/" + execution + "/assets?role=Output&limit=400";
        int pages = 0;
        while (next != null) {
            Reply page = http().get(next);
            assertEquals(200, page.status(), page::toString);
            for (JsonObject asset : page.jsonArray().getValuesAs(JsonObject.class)) {
                assertEquals("Output", asset.getString("Asset_Role"));
                paged.add(asset.getString("RID"));
            }
            pages++;
            next = page.header("Link")
                    .map(link -> link.substring(link.indexOf('<') + 1, link.indexOf('>')))
                    .orElse(null);
        }
        assertEquals(3, pages, "400 + 400 + 205: the last page is short and links nothing");
        assertEquals(files, new HashSet<>(paged).size());
        assertEquals(paged.stream().sorted().toList(), paged, "in RID order");
        assertEquals(
                listed.getValuesAs(JsonObject.class).stream()
                        .map(a -> a.getString("RID"))
                        .toList(),
                paged.subList(0, Executions.LISTED),
                "the document lists the first by RID");
        assertEquals(
                0,
                http().get(api + "/executions/" + execution + "/assets?role=Input")
                        .jsonArray()
                        .size());
        String base = api + "/executions/" + execution + "/assets";
        for (String careless :
                List.of("?role=Both", "?after=not%20a%20rid", "?limit=0", "?limit=10001", "?limit=ten", "?page=2")) {
            assertProblem(400, http().get(base + careless));
        }
        assertProblem(404, http().get(api + "/executions/1-ZZZZ/assets"));
    }

    /**
     * A commit whose group holds a name that was deleted (here by hand) restores it, as a PUT would,
     * and stores the rest of its group as usual: such a group takes the one-by-one path.
     */
    @Test
    void aCommitRestoresAnOutputNameThatWasDeleted() throws Exception {
        imageTable();
        String execution = running(workflow());
        byte[] again = bytes(30, 1_000);
        byte[] fresh = bytes(31, 2_000);
        String object = "/hatrac/" + cid + "/demo/Image/" + md5(again) + ".again.png";
        assertEquals(201, http().put(object + "?parents=true", bytes(32, 10)).status());
        assertEquals(204, http().delete(object).status());
        assertEquals(201, stage(execution, "Image", "again.png", again, "").status());
        assertEquals(201, stage(execution, "Image", "fresh.png", fresh, "").status());
        assertEquals(200, status(execution, "Stopped").status());
        Reply committed = post("/executions/" + execution + "/commit", "");
        assertEquals(200, committed.status(), committed::toString);
        JsonArray assets = http().get(api + "/asset-tables/Image/assets").jsonArray();
        assertEquals(2, assets.size());
        for (JsonObject asset : assets.getValuesAs(JsonObject.class)) {
            boolean restored = asset.getString("Filename").equals("again.png");
            String url = asset.getString("URL");
            if (restored) {
                assertEquals(object, url.substring(0, url.lastIndexOf(':')));
            }
            assertArrayEquals(restored ? again : fresh, http().bytes(url).body(), url);
        }
        assertEquals(1, http().get(object + ";versions").jsonArray().size(), "the restored name has its one version");
    }

    private static void assertProblem(int status, Reply reply) {
        assertEquals(status, reply.status(), reply::toString);
        assertTrue(reply.contentType().startsWith("application/problem+json"), reply::toString);
    }
}
