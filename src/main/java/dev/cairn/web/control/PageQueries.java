package dev.cairn.web.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import dev.cairn.catalog.control.Access;
import dev.cairn.catalog.control.Catalogs;
import dev.cairn.catalog.control.DataAccess;
import dev.cairn.catalog.control.DataPath;
import dev.cairn.catalog.control.DataPathParser;
import dev.cairn.platform.JsonBodies;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;

/**
 * The pages' reads: ERMrest paths run through the same parser, engine and access checks as
 * {@code /ermrest/catalog/...}, so a page shows exactly what the client may read through the API.
 * Every read carries a limit; a page never holds more than that many rows.
 */
@RequestScoped
public class PageQueries {

    /** Rows read, and the snaptime they were read at. */
    public record Result(JsonArray rows, String snaptime) {
    }

    @Inject
    DataAccess data;

    @Inject
    Access access;

    /** Runs {@code api/path} (an ERMrest path after the API name) on the catalog as it is now, or at {@code at}. */
    public Result read(Catalogs.At at, DataPath.Api api, String path, int limit) {
        DataPath parsed = DataPathParser.parse(api, path);
        long cid = at.catalog().id();
        try (DataAccess.Rows rows = data.read(cid, at.instant(), at.snaptime(), parsed, limit, DataAccess.Format.JSON,
                access.guard(cid))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            rows.writeTo(out);
            return new Result(JsonBodies.parse(out.toString(java.nio.charset.StandardCharsets.UTF_8)).asJsonArray(), rows.etag());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
