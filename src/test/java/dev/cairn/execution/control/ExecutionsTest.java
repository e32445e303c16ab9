package dev.cairn.execution.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

class ExecutionsTest {

    private static final JsonObject RUNNING = Json.createObjectBuilder()
            .add("state", "running")
            .add("filesDone", 3)
            .build();

    @Test
    void anUploadedExecutionsCommitIsDoneBeforeItsNodeRecordsIt() {
        JsonObject settled = Executions.settled(RUNNING, true);
        assertEquals("done", settled.getString("state"));
        assertEquals(3, settled.getInt("filesDone"), "the progress is kept");
    }

    @Test
    void aCommitStillRunningOrFailedIsShownAsRecorded() {
        assertEquals(RUNNING, Executions.settled(RUNNING, false));
        JsonObject failed = Json.createObjectBuilder().add("state", "failed").build();
        assertEquals(failed, Executions.settled(failed, true));
    }
}
