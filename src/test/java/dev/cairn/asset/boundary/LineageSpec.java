package dev.cairn.asset.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.CairnSpec;
import dev.cairn.Http.Reply;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The provenance graph: a chain dataset -> e1 -> a1 -> e2 -> a2 -> e3 -> a3, built through the ML
 * API, walked up, down and both ways, with and without a depth.
 */
public abstract class LineageSpec extends CairnSpec {

    private String api;

    private JsonObject created(String path, String json) {
        Reply reply = http().postJson(api + path, json);
        assertEquals(201, reply.status(), reply::toString);
        return reply.json();
    }

    /** An execution of the workflow with the given inputs that commits one output file; returns [execution, asset]. */
    private String[] step(String workflow, String inputs, int n) {
        String execution = created("/executions", "{\"workflow\": \"" + workflow + "\"" + inputs + "}")
                .getString("RID");
        status(execution, "Running");
        Reply staged = http().put(
                        api + "/executions/" + execution + "/outputs/Model/m" + n + ".pt", ("model " + n).getBytes());
        assertEquals(201, staged.status(), staged::toString);
        status(execution, "Stopped");
        Reply committed = http().postJson(api + "/executions/" + execution + "/commit", "");
        assertEquals(200, committed.status(), committed::toString);
        String asset = committed.json().getJsonArray("Assets").getValuesAs(JsonObject.class).stream()
                .filter(a -> a.getString("Asset_Role").equals("Output"))
                .findFirst()
                .orElseThrow()
                .getString("RID");
        return new String[] {execution, asset};
    }

    private void status(String execution, String status) {
        Reply reply = http().send(
                        "PUT",
                        api + "/executions/" + execution + "/status",
                        "application/json",
                        "{\"status\": \"" + status + "\"}");
        assertEquals(200, reply.status(), reply::toString);
    }

    private Map<String, Integer> nodes(JsonObject graph) {
        return graph.getJsonArray("nodes").getValuesAs(JsonObject.class).stream()
                .collect(Collectors.toMap(n -> n.getString("RID"), n -> n.getInt("depth")));
    }

    @Test
    void walksTheChainInEveryDirection() {
        String cid = createCatalog("{\"name\": \"lineage\", \"domainSchema\": \"demo\"}")
                .getString("id");
        api = "/api/catalogs/" + cid;
        created("/asset-tables", "{\"name\": \"Model\"}");
        String dataset =
                created("/datasets", "{\"description\": \"training data\"}").getString("RID");
        String workflow = created(
                        "/workflows", "{\"name\": \"w\", \"type\": \"Training\", \"url\": \"u\", \"checksum\": \"c\"}")
                .getString("RID");
        List<String[]> chain = new ArrayList<>();
        chain.add(step(workflow, ", \"datasets\": [{\"rid\": \"" + dataset + "\", \"version\": \"0.1.0\"}]", 1));
        chain.add(step(workflow, ", \"assets\": [\"" + chain.get(0)[1] + "\"]", 2));
        chain.add(step(workflow, ", \"assets\": [\"" + chain.get(1)[1] + "\"]", 3));
        String a1 = chain.get(0)[1];
        String a3 = chain.get(2)[1];

        JsonObject up =
                http().get(api + "/assets/" + a3 + "/lineage?direction=up").json();
        Map<String, Integer> expected = Map.of(
                a3,
                0,
                chain.get(2)[0],
                1,
                chain.get(1)[1],
                2,
                chain.get(1)[0],
                3,
                a1,
                4,
                chain.get(0)[0],
                5,
                dataset,
                6);
        assertEquals(expected, nodes(up));
        assertEquals(6, up.getJsonArray("edges").size());
        JsonObject datasetNode = up.getJsonArray("nodes").getValuesAs(JsonObject.class).stream()
                .filter(n -> n.getString("RID").equals(dataset))
                .findFirst()
                .orElseThrow();
        assertEquals("dataset", datasetNode.getString("kind"));
        JsonObject root = up.getJsonArray("nodes").getJsonObject(0);
        assertEquals("asset", root.getString("kind"));
        assertEquals("m3.pt", root.getString("Filename"));
        assertTrue(up.getJsonArray("edges").getValuesAs(JsonObject.class).stream()
                .anyMatch(e -> e.getString("from").equals(a1)
                        && e.getString("to").equals(chain.get(1)[0])
                        && e.getString("role").equals("Input")));

        assertEquals(
                Set.of(a3, chain.get(2)[0], chain.get(1)[1]),
                nodes(http().get(api + "/assets/" + a3 + "/lineage?direction=up&depth=2")
                                .json())
                        .keySet());
        assertEquals(
                Set.of(a1, chain.get(1)[0], chain.get(1)[1], chain.get(2)[0], a3),
                nodes(http().get(api + "/assets/" + a1 + "/lineage?direction=down")
                                .json())
                        .keySet());
        Map<String, Integer> both =
                nodes(http().get(api + "/assets/" + chain.get(1)[1] + "/lineage?direction=both&depth=1")
                        .json());
        assertEquals(Set.of(chain.get(1)[1], chain.get(1)[0], chain.get(2)[0]), both.keySet());

        // a walk deeper than Lineage.IN_MEMORY_DEPTH runs in memory: the same graph as the recursive query's
        for (String[] from :
                List.of(new String[] {a3, "up"}, new String[] {a1, "down"}, new String[] {chain.get(1)[1], "both"})) {
            JsonObject bySql = http().get(api + "/assets/" + from[0] + "/lineage?direction=" + from[1] + "&depth=1000")
                    .json();
            JsonObject inMemory = http().get(
                            api + "/assets/" + from[0] + "/lineage?direction=" + from[1] + "&depth=1001")
                    .json();
            assertEquals(bySql.get("nodes"), inMemory.get("nodes"), from[1]);
            assertEquals(bySql.get("edges"), inMemory.get("edges"), from[1]);
            assertTrue(bySql.getJsonArray("edges").size() >= 2, from[1]);
        }

        assertEquals(404, http().get(api + "/assets/1-ZZZZ/lineage").status());
        assertEquals(
                400,
                http().get(api + "/assets/" + a1 + "/lineage?direction=sideways")
                        .status());
        assertEquals(
                400, http().get(api + "/assets/" + a1 + "/lineage?depth=-1").status());
        assertEquals(400, http().get(api + "/assets/not%20a%20rid/lineage").status());
    }
}
