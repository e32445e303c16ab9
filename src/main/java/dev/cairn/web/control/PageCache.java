package dev.cairn.web.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Small answers (counts, facet values, bins) the pages read, kept by what determines them: the
 * catalog, the snaptime they were read at, who read them (their rights decide which rows count)
 * and the ERMrest path. A catalog's snaptime moves with every change to its rows, model or ACLs,
 * so an entry is never stale; old ones simply stop being asked for and age out (least recently
 * used first). Clients that ask for the same answer at once share one read.
 */
@ApplicationScoped
public class PageCache {

    static final int ENTRIES = 4096;

    private final Map<String, JsonArray> entries = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JsonArray> eldest) {
            return size() > ENTRIES;
        }
    };

    /** Reads under way, so that clients asking the same at once wait for one read instead of making their own. */
    final ConcurrentMap<String, CompletableFuture<JsonArray>> reading = new ConcurrentHashMap<>();

    synchronized JsonArray get(String key) {
        return entries.get(key);
    }

    synchronized void put(String key, JsonArray value) {
        entries.put(key, value);
    }
}
