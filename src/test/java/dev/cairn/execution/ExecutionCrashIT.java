package dev.cairn.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.CairnProcess;
import dev.cairn.Http;
import dev.cairn.Http.Reply;
import jakarta.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * kill -9 in the middle of a commit of execution outputs: the catalog shows none of the outputs or
 * all of them at every moment; after the restart the server finishes the commit by itself, with
 * no duplicated row or object version, and files staged for another execution are still staged.
 */
class ExecutionCrashIT {

    private static final Path DATA = Path.of(System.getProperty("it.data.dir", "target/it-data"), "execution-crash");
    private static final int SMALL = 600;
    private static final int LARGE = 2;
    private static final int FILES = SMALL + LARGE;
    private static final CommittedOutputs OUTPUTS = new CommittedOutputs(FILES, LARGE);

    @Test
    void killedDuringACommitFinishesItAfterRestart() throws Exception {
        CairnProcess.wipe(DATA);
        String api;
        String cid;
        String execution;
        String waiting;
        try (CairnProcess server = CairnProcess.start(DATA, "256m").awaitReady()) {
            Http http = server.http();
            cid = http.postJson("/api/catalogs", "{\"name\": \"crash\", \"domainSchema\": \"demo\"}")
                    .json()
                    .getString("id");
            api = "/api/catalogs/" + cid;
            assertEquals(
                    201,
                    http.postJson(api + "/asset-tables", "{\"name\": \"Scan\"}").status());
            String workflow = http.postJson(api + "/workflows", "{\"name\": \"w\", \"type\": \"Training\"}")
                    .json()
                    .getString("RID");
            execution = http.postJson(api + "/executions", "{\"workflow\": \"" + workflow + "\"}")
                    .json()
                    .getString("RID");
            waiting = http.postJson(api + "/executions", "{\"workflow\": \"" + workflow + "\"}")
                    .json()
                    .getString("RID");
            for (String e : List.of(execution, waiting)) {
                assertEquals(
                        200,
                        http.send(
                                        "PUT",
                                        api + "/executions/" + e + "/status",
                                        "application/json",
                                        "{\"status\": \"Running\"}")
                                .status());
            }
            for (int n = 0; n < FILES; n++) {
                Reply staged =
                        http.put(api + "/executions/" + execution + "/outputs/Scan/f" + n + ".bin", OUTPUTS.content(n));
                assertEquals(201, staged.status(), staged::toString);
            }
            assertEquals(
                    201,
                    http.put(api + "/executions/" + waiting + "/outputs/Scan/later.bin", OUTPUTS.content(9999))
                            .status());

            for (String e : List.of(execution, waiting)) {
                assertEquals(
                        200,
                        http.send(
                                        "PUT",
                                        api + "/executions/" + e + "/status",
                                        "application/json",
                                        "{\"status\": \"Stopped\"}")
                                .status());
            }
            Reply accepted = http.postJson(api + "/executions/" + execution + "/commit?async=true", "");
            assertEquals(202, accepted.status(), accepted::toString);
            for (int polls = 0; ; polls++) {
                JsonObject commit =
                        http.get(api + "/executions/" + execution).json().getJsonObject("Commit");
                int rows = CommittedOutputs.count(http, cid);
                assertTrue(rows == 0 || rows == FILES, "all or nothing, saw " + rows);
                if (commit.getInt("filesDone") >= 40 || polls > 2000) {
                    assertEquals(
                            "running",
                            commit.getString("state"),
                            "the commit ran too fast to be interrupted: " + commit);
                    break;
                }
                Thread.sleep(10);
            }
            server.kill();
        }

        try (CairnProcess server = CairnProcess.start(DATA, "256m").awaitReady()) {
            Http http = server.http();
            JsonObject doc = http.get(api + "/executions/" + execution).json();
            for (int i = 0; i < 600 && !doc.getString("Status").equals("Uploaded"); i++) {
                assertTrue(Set.of(0, FILES).contains(CommittedOutputs.count(http, cid)));
                Thread.sleep(100);
                doc = http.get(api + "/executions/" + execution).json();
            }
            assertEquals("Uploaded", doc.getString("Status"), doc::toString);
            assertEquals("done", doc.getJsonObject("Commit").getString("state"));

            OUTPUTS.assertEachOnce(http, api);
            assertEquals(
                    FILES,
                    http.get("/ermrest/catalog/" + cid + "/entity/demo:Scan_Execution/Execution=" + execution
                                    + "/Asset_Role=Output")
                            .jsonArray()
                            .size());
            try (var staged = Files.list(DATA.resolve("store/staging"))) {
                assertEquals(
                        1,
                        staged.filter(f -> f.getFileName().toString().startsWith("ws-"))
                                .count(),
                        "the committed files' staged bytes are gone; the waiting execution's one stays");
            }

            // the other execution's staged file survived, and commits
            assertEquals(
                    1,
                    http.get(api + "/executions/" + waiting + "/outputs")
                            .jsonArray()
                            .size());
            Reply committed = http.postJson(api + "/executions/" + waiting + "/commit", "");
            assertEquals(200, committed.status(), committed::toString);
            assertEquals(FILES + 1, CommittedOutputs.count(http, cid));
        }
    }
}
