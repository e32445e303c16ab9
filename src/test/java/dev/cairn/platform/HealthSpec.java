package dev.cairn.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.CairnSpec;
import dev.cairn.Http.Reply;
import jakarta.json.JsonObject;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code /health}: UP only with the database reachable and every migration applied. */
public abstract class HealthSpec extends CairnSpec {

    @Test
    void healthIsUpWithDatabaseAndMigrationChecks() {
        Reply health = http().get("/health");
        assertEquals(200, health.status(), health::toString);
        assertEquals("UP", health.json().getString("status"));
        Map<String, String> checks = health.json().getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .collect(Collectors.toMap(c -> c.getString("name"), c -> c.getString("status")));
        assertEquals("UP", checks.get("database"), checks::toString);
        assertEquals("UP", checks.get("catalog-migrations"), checks::toString);
    }

    @Test
    void readinessAnswersToo() {
        Reply ready = http().get("/health/ready");
        assertEquals(200, ready.status(), ready::toString);
        assertEquals("UP", ready.json().getString("status"));
    }
}
