package dev.cairn.web.boundary;

import dev.cairn.catalog.control.Catalogs;
import dev.cairn.catalog.control.DataAccess;
import dev.cairn.catalog.control.DataPath;
import dev.cairn.catalog.control.DataPathParser;
import dev.cairn.catalog.control.ModelIndex;
import dev.cairn.catalog.control.Models;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.FormParts;
import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.PathSegment;
import dev.cairn.store.control.HatracPath;
import dev.cairn.store.control.ObjectStore;
import dev.cairn.store.control.VersionInfo;
import dev.cairn.web.control.Cells;
import dev.cairn.web.control.RowEntry;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

/**
 * Creating, editing and deleting rows in forms, as Chaise's record-edit does: a typed input per
 * column, foreign keys chosen by the referenced row's name (a drop-down, or a name or RID typed
 * for large tables), vocabulary terms picked or added, several rows edited at once. Forms post
 * without any script. Writes go through ERMrest's own write path, with its rights and row-level
 * ACLs; an edit applies only to rows still as they were read (keyed by RID and RMT), so a row
 * changed meanwhile comes back with both values rather than being overwritten. A refused or
 * invalid form comes back with every value as typed and each error next to its field. Access:
 * {@code insert}, {@code update} or {@code delete} on the table; forms from another site are
 * refused.
 */
@Path("/web/{cid: [0-9]{1,18}}")
public class EntryPage {

    /** At most this many rows are edited in one form. */
    static final int MAX_ROWS = 50;
    /** A form's body is at most this large (without its file). */
    static final int MAX_BODY = 4 << 20;
    /** A multipart form has at most this many parts. */
    static final int MAX_PARTS = 1000;
    /** The form field of an asset's file. */
    static final String FILE = "file";

    @Inject
    PageContext page;

    @Inject
    Models models;

    @Inject
    DataAccess data;

    @Inject
    RowEntry entry;

    @Inject
    ObjectStore store;

    // ---- create

    @GET
    @Path("create/{table}")
    @Produces(PageContext.HTML)
    public Response createForm(@PathParam("cid") String cid, @PathParam("table") String name) {
        ModelIndex.Table table = table(name, "insert");
        return form(cid, table, Mode.CREATE, List.of(RowEntry.Row.empty()), null, 200);
    }

    @POST
    @Path("create/{table}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(PageContext.HTML)
    public Response create(@PathParam("cid") String cid, @PathParam("table") String name, InputStream body) {
        page.sameOrigin("change rows");
        ModelIndex.Table table = table(name, "insert");
        Map<String, List<String>> posted = PageContext.parse(JsonBodies.text(body, MAX_BODY));
        RowEntry.Row.checkNames(posted, 1);
        RowEntry.Row row = RowEntry.Row.posted(posted, 0);
        if (entry.isAsset(table)) {
            row = row.withError(FILE, "Choose the file to store (the form is sent as multipart/form-data).");
        }
        RowEntry.Checked checked = entry.check(page.catalog().at(), table, row, true);
        if (!checked.valid()) {
            return form(cid, table, Mode.CREATE, List.of(checked.row()), "Some values need changing.", 400);
        }
        try {
            return created(cid, table, entry.addTerms(table, checked));
        } catch (CairnException e) {
            entry.withdrawTerms();
            return form(
                    cid, table, Mode.CREATE, List.of(checked.row().failed(e, table, 0)), e.getMessage(), e.status());
        }
    }

    /** Inserts the row through ERMrest's entity write and goes to its record. */
    private Response created(String cid, ModelIndex.Table table, JsonObject values) {
        JsonArray written = written(data.write(
                page.catalog().id(),
                DataPathParser.parse(DataPath.Api.ENTITY, source(table)).elements(),
                json(JsonBodies.JSON.createArrayBuilder().add(values).build()),
                DataAccess.Format.JSON,
                new DataAccess.WriteOptions(Set.of(), Set.of(), false, false),
                null,
                page.catalog().client(),
                page.catalog().guard()));
        String rid = written.getJsonObject(0).getString("RID");
        return Response.seeOther(URI.create(Cells.recordLink(cid, table.schema(), table.name(), rid)))
                .build();
    }

    /**
     * A new row of an asset table, with its file: the file streams into the object store while it
     * arrives (MD5 and SHA-256 computed on the way), becomes the version named by its MD5 and
     * filename as execution outputs are, and the row gets its URL, Filename, Length and MD5.
     */
    @POST
    @Path("create/{table}")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(PageContext.HTML)
    public Response createWithFile(
            @PathParam("cid") String cid,
            @PathParam("table") String name,
            @HeaderParam("Content-Type") String contentType,
            InputStream body) {
        return withFile(name, "insert", contentType, body, (table, sent) -> createWith(cid, table, sent));
    }

    /**
     * A multipart form of an asset table, for {@code right} on it: its fields and its file handed
     * to {@code work}. A file the work does not store (the form is refused first) is discarded.
     */
    private Response withFile(
            String name,
            String right,
            String contentType,
            InputStream body,
            BiFunction<ModelIndex.Table, WithFile, Response> work) {
        page.sameOrigin("change rows");
        ModelIndex.Table table = table(name, right);
        if (!entry.isAsset(table)) {
            throw new CairnException.BadRequest(table + " is not an asset table: its form takes no file.");
        }
        WithFile sent = receive(contentType, body);
        try {
            return work.apply(table, sent);
        } finally {
            if (sent.file() != null && !sent.spent().get()) {
                store.discard(sent.file()); // the form was refused before the file was stored
            }
        }
    }

    private Response createWith(String cid, ModelIndex.Table table, WithFile sent) {
        RowEntry.Row.checkNames(sent.fields(), 1);
        RowEntry.Row row = RowEntry.Row.posted(sent.fields(), 0);
        if (sent.file() == null) {
            row = row.withError(FILE, "Choose the file to store.");
        }
        RowEntry.Checked checked = entry.check(page.catalog().at(), table, row, true);
        if (!checked.valid()) {
            String again = sent.file() == null ? "" : " Choose the file again: a browser does not keep it.";
            return form(cid, table, Mode.CREATE, List.of(checked.row()), "Some values need changing." + again, 400);
        }
        VersionInfo version;
        try {
            version = stored(table, sent);
        } catch (CairnException e) {
            return form(cid, table, Mode.CREATE, List.of(checked.row()), e.getMessage(), e.status());
        }
        try {
            JsonObject values = JsonBodies.JSON
                    .createObjectBuilder(entry.addTerms(table, checked))
                    .addAll(JsonBodies.JSON.createObjectBuilder(sent.columns(version)))
                    .build();
            return created(cid, table, values);
        } catch (CairnException e) {
            // the version stays: named by its content, the next try or another row uses it
            entry.withdrawTerms();
            return form(
                    cid, table, Mode.CREATE, List.of(checked.row().failed(e, table, 0)), e.getMessage(), e.status());
        }
    }

    /** A multipart form's fields, and its file (received into the store, not yet committed) if one was chosen. */
    record WithFile(
            Map<String, List<String>> fields,
            ObjectStore.Received file,
            String filename,
            String type,
            AtomicBoolean spent) {

        /** The asset columns the stored version fills. */
        JsonObject columns(VersionInfo version) {
            return JsonBodies.JSON
                    .createObjectBuilder()
                    .add("URL", version.url())
                    .add("Filename", filename)
                    .add("Length", version.length())
                    .add("MD5", file.md5())
                    .build();
        }
    }

    /** Reads a multipart form: its fields within the field budget, its one file streamed into the store. */
    private WithFile receive(String contentType, InputStream body) {
        Map<String, List<String>> posted = new LinkedHashMap<>();
        ObjectStore.Received file = null;
        String filename = null;
        String fileType = null;
        try {
            FormParts parts = new FormParts(contentType, body, MAX_PARTS);
            int left = MAX_BODY; // for all fields together: the file alone may be large
            for (FormParts.Part part = parts.next(); part != null; part = parts.next()) {
                if (part.filename() == null) {
                    String value = JsonBodies.text(part.body(), left);
                    left -= value.length();
                    posted.computeIfAbsent(part.name(), k -> new ArrayList<>()).add(value);
                } else if (!part.name().equals(FILE) || file != null) {
                    throw new CairnException.BadRequest("The form takes one file, as " + FILE + ".");
                } else if (!part.filename().isBlank()) {
                    filename = baseName(part.filename());
                    fileType = part.contentType();
                    file = store.receive(part.body());
                }
            }
        } catch (RuntimeException e) {
            if (file != null) {
                store.discard(file);
            }
            throw e;
        }
        return new WithFile(posted, file, filename, fileType, new AtomicBoolean());
    }

    /**
     * The received file as the version named by its MD5 and filename, as execution outputs are
     * named: an existing version with the same content is used, and the received copy dropped.
     */
    private VersionInfo stored(ModelIndex.Table table, WithFile sent) {
        sent.spent().set(true);
        String object;
        try {
            object = HatracPath.nameOf(List.of(
                    Long.toString(page.catalog().id()),
                    table.schema(),
                    table.name(),
                    sent.file().md5() + "." + sent.filename()));
        } catch (CairnException badName) {
            store.discard(sent.file());
            throw badName;
        }
        return store.find(object)
                .filter(v -> v.sha256().equals(sent.file().sha256()))
                .map(v -> {
                    store.discard(sent.file());
                    return v;
                })
                .orElseGet(() -> store.commit(
                        object, sent.file(), sent.type(), page.catalog().client()));
    }

    /** A file's name without any folders a browser sent with it. */
    static String baseName(String sent) {
        String name = sent.substring(Math.max(sent.lastIndexOf('/'), sent.lastIndexOf('\\')) + 1)
                .strip();
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw new CairnException.BadRequest("The file's name '" + sent + "' names no file.");
        }
        return name;
    }

    // ---- edit one row or several

    @GET
    @Path("edit/{table}")
    @Produces(PageContext.HTML)
    public Response editForm(
            @PathParam("cid") String cid, @PathParam("table") String name, @QueryParam("rid") List<String> rids) {
        ModelIndex.Table table = table(name, "update");
        Set<String> wanted = new LinkedHashSet<>(rids == null ? List.of() : rids);
        wanted.removeIf(String::isBlank);
        if (wanted.isEmpty() || wanted.size() > MAX_ROWS) {
            throw new CairnException.BadRequest(
                    "Choose 1 to " + MAX_ROWS + " rows to edit (?rid=...), not " + wanted.size() + ".");
        }
        Map<String, JsonObject> current = entry.current(table, wanted);
        List<RowEntry.Row> rows = new ArrayList<>();
        for (String rid : wanted) {
            JsonObject row = current.get(rid);
            if (row == null) {
                throw new CairnException.NotFound("No row " + rid + " in " + table + " that you may read.");
            }
            rows.add(RowEntry.Row.stored(table, row));
        }
        return form(cid, table, Mode.EDIT, rows, null, 200);
    }

    @POST
    @Path("edit/{table}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(PageContext.HTML)
    public Response edit(@PathParam("cid") String cid, @PathParam("table") String name, InputStream body) {
        page.sameOrigin("change rows");
        ModelIndex.Table table = table(name, "update");
        return save(cid, table, PageContext.parse(JsonBodies.text(body, MAX_BODY)), null);
    }

    /**
     * An asset row's edit with a new file: the file is stored as a new version (the old one stays,
     * as every version does) and the row's URL, Filename, Length and MD5 change with the other
     * values, in the same checked, RMT-guarded update. Without a file it is a plain edit.
     */
    @POST
    @Path("edit/{table}")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(PageContext.HTML)
    public Response editWithFile(
            @PathParam("cid") String cid,
            @PathParam("table") String name,
            @HeaderParam("Content-Type") String contentType,
            InputStream body) {
        return withFile(name, "update", contentType, body, (table, sent) -> {
            if (sent.file() != null && sent.fields().containsKey("rid.1")) {
                throw new CairnException.BadRequest("A new file replaces the file of one row: edit that row alone.");
            }
            return save(cid, table, sent.fields(), sent.file() == null ? null : sent);
        });
    }

    private Response save(String cid, ModelIndex.Table table, Map<String, List<String>> posted, WithFile sent) {
        List<RowEntry.Row> rows = new ArrayList<>();
        for (int i = 0; posted.containsKey("rid." + i); i++) {
            if (i >= MAX_ROWS) {
                throw new CairnException.BadRequest("A form edits at most " + MAX_ROWS + " rows.");
            }
            rows.add(RowEntry.Row.posted(posted, i));
        }
        if (rows.isEmpty()) {
            throw new CairnException.BadRequest("The form names no row to edit (rid.0).");
        }
        RowEntry.Row.checkNames(posted, rows.size());
        Set<String> rids = new LinkedHashSet<>();
        rows.forEach(r -> rids.add(r.rid()));
        if (rids.size() != rows.size()) {
            throw new CairnException.BadRequest("The form names a row twice.");
        }
        Map<String, JsonObject> current = entry.current(table, rids);
        List<RowEntry.Checked> checked = new ArrayList<>();
        boolean valid = true;
        for (RowEntry.Row row : rows) {
            if (!current.containsKey(row.rid())) {
                return form(
                        cid,
                        table,
                        Mode.EDIT,
                        rows,
                        "Row " + row.rid() + " was deleted since the form was opened, or you may no longer read it.",
                        409);
            }
            RowEntry.Checked c = entry.check(page.catalog().at(), table, row, false);
            checked.add(c);
            valid &= c.valid();
        }
        List<RowEntry.Row> shown = checked.stream().map(RowEntry.Checked::row).toList();
        if (!valid) {
            String again = sent == null ? "" : " Choose the file again: a browser does not keep it.";
            return form(cid, table, Mode.EDIT, shown, "Some values need changing." + again, 400);
        }
        // only what the person changed is written, so that values a form shows differently stay as they are
        Set<String> changed = new LinkedHashSet<>();
        List<JsonObject> values = new ArrayList<>();
        try {
            for (RowEntry.Checked c : checked) {
                JsonObject v = entry.addTerms(table, c);
                if (sent != null) {
                    JsonObject file = sent.columns(stored(table, sent));
                    v = JsonBodies.JSON
                            .createObjectBuilder(v)
                            .addAll(JsonBodies.JSON.createObjectBuilder(file))
                            .build();
                    changed.addAll(file.keySet());
                }
                values.add(v);
                changed.addAll(RowEntry.changes(table, current.get(c.row().rid()), v));
            }
        } catch (CairnException e) {
            entry.withdrawTerms();
            return form(cid, table, Mode.EDIT, shown, e.getMessage(), e.status());
        }
        if (!changed.isEmpty()) {
            JsonArrayBuilder update = JsonBodies.JSON.createArrayBuilder();
            for (int i = 0; i < values.size(); i++) {
                JsonObjectBuilder one = JsonBodies.JSON
                        .createObjectBuilder()
                        .add("RID", rows.get(i).rid())
                        .add("RMT", rows.get(i).rmt());
                for (String column : changed) {
                    one.add(column, values.get(i).getOrDefault(column, JsonValue.NULL));
                }
                update.add(one);
            }
            StringBuilder path = new StringBuilder(source(table)).append("/RID,RMT;");
            path.append(
                    String.join(",", changed.stream().map(PathSegment::encode).toList()));
            try {
                Files.deleteIfExists(data.update(
                                page.catalog().id(),
                                DataPathParser.parse(DataPath.Api.ATTRIBUTEGROUP, path.toString()),
                                json(update.build()),
                                DataAccess.Format.JSON,
                                null,
                                rows.size(),
                                page.catalog().client(),
                                page.catalog().guard())
                        .json());
            } catch (CairnException.PreconditionFailed conflict) {
                entry.withdrawTerms();
                return conflict(cid, table, shown);
            } catch (CairnException e) {
                entry.withdrawTerms();
                List<RowEntry.Row> failed = new ArrayList<>();
                for (int i = 0; i < shown.size(); i++) {
                    failed.add(shown.get(i).failed(e, table, i));
                }
                return form(cid, table, Mode.EDIT, failed, e.getMessage(), e.status());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String next = rows.size() == 1
                ? Cells.recordLink(
                        cid, table.schema(), table.name(), rows.get(0).rid())
                : Cells.tableLink(cid, table.schema(), table.name()) + "?"
                        + String.join(
                                "&",
                                rids.stream()
                                        .map(r -> "f.RID=" + PathSegment.encode(r))
                                        .toList());
        return Response.seeOther(URI.create(next)).build();
    }

    /**
     * Rows changed by someone else since the form was read: both values shown, the person's kept, and
     * the rows' new RMT so that saving again overwrites.
     */
    private Response conflict(String cid, ModelIndex.Table table, List<RowEntry.Row> rows) {
        Set<String> rids = new LinkedHashSet<>();
        rows.forEach(r -> rids.add(r.rid()));
        Map<String, JsonObject> current = entry.current(table, rids);
        List<RowEntry.Row> shown = new ArrayList<>();
        List<String> who = new ArrayList<>();
        for (RowEntry.Row row : rows) {
            JsonObject now = current.get(row.rid());
            if (now == null) {
                return form(
                        cid,
                        table,
                        Mode.EDIT,
                        rows,
                        "Row " + row.rid() + " was deleted since the form was opened; nothing was changed.",
                        409);
            }
            if (!row.rmt().equals(now.getString("RMT", ""))) {
                who.add(row.rid() + " (changed at " + now.getString("RMT", "") + ")");
            }
            shown.add(row.against(table, now));
        }
        return form(
                cid,
                table,
                Mode.EDIT,
                shown,
                "Someone changed " + String.join(", ", who)
                        + " after you opened this form, so nothing was saved. Your values are kept below; the"
                        + " stored ones show beside each field that differs. Save again to replace them with yours.",
                409);
    }

    // ---- delete

    @GET
    @Path("delete/{table}/{rid}")
    @Produces(PageContext.HTML)
    public Response confirm(
            @PathParam("cid") String cid, @PathParam("table") String name, @PathParam("rid") String rid) {
        ModelIndex.Table table = table(name, "delete");
        if (!entry.current(table, Set.of(rid)).containsKey(rid)) {
            throw new CairnException.NotFound("No row " + rid + " in " + table + " that you may read.");
        }
        Map<String, Object> scope = scope(cid, table, "Delete " + table.name() + " " + rid);
        scope.put("rid", rid);
        scope.put("name", entry.name(page.catalog().at(), table, rid));
        scope.put("record", Cells.recordLink(cid, table.schema(), table.name(), rid));
        scope.put("action", "/web/" + cid + "/delete/" + PathSegment.encode(name) + "/" + PathSegment.encode(rid));
        return page.page("delete.mustache", scope);
    }

    @POST
    @Path("delete/{table}/{rid}")
    @Produces(PageContext.HTML)
    public Response delete(
            @PathParam("cid") String cid, @PathParam("table") String name, @PathParam("rid") String rid) {
        page.sameOrigin("delete rows");
        ModelIndex.Table table = table(name, "delete");
        if (!entry.current(table, Set.of(rid)).containsKey(rid)) {
            throw new CairnException.NotFound("No row " + rid + " in " + table + " that you may read.");
        }
        data.delete(
                page.catalog().id(),
                DataPathParser.parse(DataPath.Api.ENTITY, source(table) + "/RID=" + PathSegment.encode(rid))
                        .elements(),
                null,
                page.catalog().client(),
                page.catalog().guard());
        return Response.seeOther(URI.create(Cells.tableLink(cid, table.schema(), table.name())))
                .build();
    }

    // ---- the form

    enum Mode {
        CREATE,
        EDIT
    }

    private Response form(
            String cid, ModelIndex.Table table, Mode mode, List<RowEntry.Row> rows, String problem, int status) {
        boolean create = mode == Mode.CREATE;
        Map<String, Object> scope = scope(
                cid,
                table,
                (create ? "Create " : "Edit ") + table.name() + (rows.size() > 1 ? " (" + rows.size() + " rows)" : ""));
        Catalogs.At now = page.catalog().at();
        List<Map<String, Object>> shown = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            RowEntry.Row row = rows.get(i);
            Map<String, Object> r = new HashMap<>();
            r.put("index", i);
            r.put("rid", row.rid());
            r.put("rmt", row.rmt());
            r.put("fields", entry.fields(now, table, row, i));
            r.put("record", row.rid() == null ? null : Cells.recordLink(cid, table.schema(), table.name(), row.rid()));
            shown.add(r);
        }
        scope.put("rows", shown);
        scope.put("create", create);
        if (entry.isAsset(table) && (create || rows.size() == 1)) {
            scope.put(
                    "file",
                    Map.of(
                            "error",
                            rows.get(0).errors().getOrDefault(FILE, ""),
                            "required",
                            create,
                            "replace",
                            !create));
        }
        scope.put("problem", problem);
        scope.put(
                "action",
                "/web/" + cid + "/" + (create ? "create" : "edit") + "/"
                        + PathSegment.encode(table.schema() + ":" + table.name()));
        return Response.status(status)
                .type(PageContext.HTML)
                .header("Cache-Control", "no-store")
                .entity(page.render("entry.mustache", scope))
                .build();
    }

    private Map<String, Object> scope(String cid, ModelIndex.Table table, String title) {
        Map<String, Object> scope = page.scope(title, cid);
        scope.put("schema", table.schema());
        scope.put("table", table.name());
        scope.put("tableLink", Cells.tableLink(cid, table.schema(), table.name()));
        return scope;
    }

    /** The named table ({@code schema:table}), which the client must be able to read and to change as {@code right}. */
    private ModelIndex.Table table(String name, String right) {
        page.catalog().require("enumerate");
        ModelIndex.Table table = TablePage.table(models.index(page.catalog().id()), name);
        page.catalog().require("select", table.schema(), table.name());
        page.catalog().require(right, table.schema(), table.name());
        return table;
    }

    static String source(ModelIndex.Table table) {
        return PathSegment.encode(table.schema()) + ":" + PathSegment.encode(table.name());
    }

    private static InputStream json(JsonValue value) {
        return new ByteArrayInputStream(value.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The rows a write returned (a form writes a few), its spool removed. */
    private static JsonArray written(DataAccess.Written written) {
        try {
            return JsonBodies.parse(Files.readString(written.json())).asJsonArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(written.json());
            } catch (IOException ignored) {
                // a temporary file; the spool folder is cleaned at start
            }
        }
    }
}
