package dev.cairn.web.control;

import dev.cairn.catalog.control.CatalogRequest;
import dev.cairn.catalog.control.Catalogs;
import dev.cairn.catalog.control.DataAccess;
import dev.cairn.catalog.control.DataPath;
import dev.cairn.catalog.control.DataPathParser;
import dev.cairn.platform.Caller;
import dev.cairn.platform.JsonBodies;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The pages' reads: ERMrest paths run through the same parser, engine and access checks as
 * {@code /ermrest/catalog/...}, so a page shows exactly what the client may read through the API.
 * Every read carries a limit; a page never holds more than that many rows.
 */
@RequestScoped
public class PageQueries {

    /** Rows read, and the snaptime they were read at. */
    public record Result(JsonArray rows, String snaptime) {}

    @Inject
    DataAccess data;

    @Inject
    CatalogRequest context;

    @Inject
    PageCache cache;

    @Inject
    Caller caller;

    /** Runs {@code api/path} (an ERMrest path after the API name) on the catalog as it is now, or at {@code at}. */
    public Result read(Catalogs.At at, DataPath.Api api, String path, int limit) {
        DataPath parsed = DataPathParser.parse(api, path);
        long cid = at.catalog().id();
        try (DataAccess.Rows rows =
                data.read(cid, at.instant(), at.snaptime(), parsed, limit, DataAccess.Format.JSON, context.guard())) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            rows.writeTo(out);
            return new Result(
                    JsonBodies.parse(out.toString(StandardCharsets.UTF_8)).asJsonArray(), rows.etag());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The snaptime a read of the catalog sees now (or the snapshot's). */
    public String snaptime(Catalogs.At at) {
        return at.snaptime() != null
                ? at.snaptime()
                : data.snaptime(at.catalog().id());
    }

    /**
     * The rows of a small read, from the cache when the same client read the same path at
     * {@code snaptime}. A read is kept only when it saw that very snaptime (a change in between
     * gives it another), so what is kept is exactly what a read at the snaptime returns.
     */
    public JsonArray cached(Catalogs.At at, String snaptime, DataPath.Api api, String path, int limit) {
        String key = at.catalog().id() + "|" + snaptime + "|" + who() + "|" + api + "|" + limit + "|" + path;
        JsonArray kept = cache.get(key);
        if (kept != null) {
            return kept;
        }
        CompletableFuture<JsonArray> mine = new CompletableFuture<>();
        CompletableFuture<JsonArray> running = cache.reading.putIfAbsent(key, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        try {
            Result result = read(at, api, path, limit);
            if (snaptime.equals(result.snaptime())) {
                cache.put(key, result.rows());
            }
            mine.complete(result.rows());
            return result.rows();
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            cache.reading.remove(key, mine);
        }
    }

    /** What decides which rows a client may read: its id and groups (a token's scope only narrows catalogs). */
    private String who() {
        Caller.Identity identity = caller.identity();
        if (identity == null) {
            return "*";
        }
        return identity.id() + identity.groups().stream().sorted().toList();
    }
}
