package dev.cairn.web.boundary;

import dev.cairn.asset.control.AssetTables;
import dev.cairn.asset.control.Assets;
import dev.cairn.catalog.control.Catalogs;
import dev.cairn.catalog.control.DataPath;
import dev.cairn.catalog.control.ModelIndex;
import dev.cairn.catalog.control.Models;
import dev.cairn.catalog.entity.Model;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.PathSegment;
import dev.cairn.registry.control.RegistryAliases;
import dev.cairn.registry.control.RegistryQueries;
import dev.cairn.store.control.HatracPath;
import dev.cairn.store.control.ObjectStore;
import dev.cairn.store.control.VersionInfo;
import dev.cairn.web.control.Cells;
import dev.cairn.web.control.Chaise;
import dev.cairn.web.control.Ermrest;
import dev.cairn.web.control.FacetPlan;
import dev.cairn.web.control.PageQueries;
import dev.cairn.web.control.Recordset;
import dev.cairn.web.control.RowNames;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One row: every column, links along its outbound foreign keys, its related rows through inbound
 * foreign keys (counted, each a link to the filtered table), its citation {@code RID@snaptime},
 * and "as of" any snapshot. For an asset: the file's size, MD5 and SHA-256, a download, a
 * preview (images inline, the head of text files) and what inspection read from it. Access:
 * {@code select} on the table and the row's row-level rights; related tables only where the client
 * may select them.
 */
@Path("/web/{cid: [0-9]{1,18}}/record/{table}/{rid}")
public class RecordPage {

    static final int HEAD = 4096;
    /** A related table shows this many of its rows on a record. */
    static final int RELATED_ROWS = 5;

    static final Set<String> IMAGES = Set.of("png", "jpg", "jpeg", "gif", "webp", "bmp");
    static final Set<String> TEXTS =
            Set.of("csv", "tsv", "txt", "json", "jsonl", "yaml", "yml", "md", "log", "py", "cfg", "ini", "toml");

    @Inject
    PageContext page;

    @Inject
    Models models;

    @Inject
    PageQueries queries;

    @Inject
    AssetTables assetTables;

    @Inject
    Assets assets;

    @Inject
    ObjectStore store;

    @Inject
    RegistryQueries registryQueries;

    @Inject
    RegistryAliases aliases;

    @Inject
    RowNames rowNames;

    @Inject
    Cells cells;

    @GET
    @Produces(PageContext.HTML)
    public Response get(
            @PathParam("cid") String cid,
            @PathParam("table") String name,
            @PathParam("rid") String rid,
            @QueryParam("at") String snaptime) {
        Catalogs.At at = page.catalog().at(snaptime == null || snaptime.isBlank() ? null : snaptime.strip());
        long id = at.catalog().id();
        page.catalog().require("enumerate");
        Models.Version version = models.at(id, at.instant());
        ModelIndex.Table table = TablePage.table(version.index(), name);
        page.catalog().require("select", table.schema(), table.name());
        String source = Ermrest.table(table.schema(), table.name());
        PageQueries.Result found = queries.read(at, DataPath.Api.ENTITY, source + "/RID=" + PathSegment.encode(rid), 1);
        if (found.rows().isEmpty()) {
            throw new CairnException.NotFound("No row " + rid + " in " + table
                    + (at.snaptime() == null ? "" : " at " + at.snaptime()) + " that you may read.");
        }
        JsonObject row = found.rows().getJsonObject(0);
        String tableLink = Cells.tableLink(cid, table.schema(), table.name());

        // the entries of the table's detailed context when annotated (RID always), else the row's own
        // columns first, then those the database keeps (RID, times, who)
        Model.Table described = Chaise.of(version.model(), table.schema(), table.name());
        List<Cells.Shown> shown = Cells.shown(table, version.model(), described, List.of(), "detailed", true);
        List<Map<String, Object>> values = cells.of(
                        new Cells.Where(
                                cid, at, found.snaptime(), version.model(), page.variables(cid, found.snaptime())),
                        table,
                        shown,
                        List.of(row),
                        "detailed",
                        0)
                .get(0);
        List<Map<String, Object>> fields = new ArrayList<>();
        for (int i = 0; i < shown.size(); i++) {
            Map<String, Object> f = new HashMap<>(values.get(i));
            f.put(
                    "system",
                    shown.get(i).local()
                            && FacetPlan.SYSTEM.contains(shown.get(i).key()));
            f.put("name", shown.get(i).key());
            f.put("label", shown.get(i).label());
            fields.add(f);
        }

        // related rows: every inbound foreign key of one column
        List<Map<String, Object>> related = new ArrayList<>();
        for (ModelIndex.Link in : table.inbound()) {
            if (in.fromColumns().size() != 1
                    || !page.catalog()
                            .allowed("select", in.from().schema(), in.from().name())) {
                continue;
            }
            String value = Recordset.text(row.get(in.toColumns().get(0)));
            if (value.isEmpty()) {
                continue;
            }
            long n = queries.cached(
                            at,
                            found.snaptime(),
                            DataPath.Api.AGGREGATE,
                            Ermrest.table(in.from().schema(), in.from().name()) + "/"
                                    + PathSegment.encode(in.fromColumns().get(0)) + "=" + PathSegment.encode(value)
                                    + "/n:=cnt(*)",
                            1)
                    .getJsonObject(0)
                    .getJsonNumber("n")
                    .longValue();
            String filter = Ermrest.table(in.from().schema(), in.from().name()) + "/"
                    + PathSegment.encode(in.fromColumns().get(0)) + "=" + PathSegment.encode(value);
            List<Map<String, Object>> firstRows =
                    n == 0 ? List.of() : first(cid, at, found.snaptime(), in.from(), filter);
            related.add(Map.of(
                    "table",
                    in.from().schema() + ":" + in.from().name(),
                    "column",
                    in.fromColumns().get(0),
                    "count",
                    String.format("%,d", n),
                    "some",
                    n > 0,
                    "first",
                    firstRows,
                    "hasFirst",
                    !firstRows.isEmpty(),
                    "link",
                    Cells.tableLink(cid, in.from().schema(), in.from().name()) + "?f."
                            + PathSegment.encode(in.fromColumns().get(0)) + "=" + PathSegment.encode(value)));
        }
        // the related tables of the annotation (visible-foreign-keys, detailed), in its order, else all by name
        Optional<List<Chaise.Inbound>> visible =
                described == null ? Optional.empty() : Chaise.related(described, version.model());
        if (visible.isPresent()) {
            List<String> order = visible.get().stream()
                    .map(i -> i.schema() + ":" + i.table() + "/" + i.column())
                    .toList();
            related.removeIf(m -> !order.contains(m.get("table") + "/" + m.get("column")));
            related.sort(Comparator.comparing(m -> order.indexOf(m.get("table") + "/" + m.get("column"))));
        } else {
            related.sort(Comparator.comparing(m -> (String) m.get("table")));
        }

        Map<String, Object> scope = page.scope(table.name() + " " + rid, cid);
        scope.put("schema", table.schema());
        scope.put("table", table.name());
        scope.put(
                "tableLabel",
                described == null
                        ? table.name()
                        : Chaise.name(
                                table.name(),
                                described.annotations(),
                                Chaise.outer(version.model(), table.schema(), null)));
        scope.put("tableLink", tableLink);
        scope.put("rid", rid);
        scope.put("fields", fields);
        scope.put("related", related);
        scope.put("snaptime", found.snaptime());
        scope.put("historical", at.snaptime() != null);
        scope.put("current", Cells.recordLink(cid, table.schema(), table.name(), rid));
        scope.put("citation", rid + "@" + found.snaptime());
        scope.put("citationLink", "/id/" + cid + "/" + PathSegment.encode(rid) + "@" + found.snaptime());
        scope.put("lineage", "/web/" + cid + "/lineage/" + PathSegment.encode(rid));
        if (at.snaptime() == null && page.catalog().allowed("update", table.schema(), table.name())) {
            scope.put(
                    "editLink",
                    "/web/" + cid + "/edit/" + PathSegment.encode(name) + "?rid=" + PathSegment.encode(rid));
        }
        if (at.snaptime() == null && page.catalog().allowed("delete", table.schema(), table.name())) {
            scope.put(
                    "deleteLink",
                    "/web/" + cid + "/delete/" + PathSegment.encode(name) + "/" + PathSegment.encode(rid));
        }
        if (table.schema().equals("deriva-ml") && table.name().equals("Execution")) {
            scope.put("execution", "/web/" + cid + "/execution/" + PathSegment.encode(rid));
        }
        if (table.schema().equals("deriva-ml") && table.name().equals("Dataset")) {
            scope.put("dataset", "/web/" + cid + "/dataset/" + PathSegment.encode(rid));
        }
        if (at.snaptime() == null
                && table.schema().equals("deriva-ml")
                && table.name().equals("Registered_Asset")) {
            scope.put("registered", registered(cid, id, row));
        }
        // as of a snapshot too: the row then names the version it had, and versions never change
        if (assetTables.of(id, table.schema(), table.name()).isPresent()) {
            scope.put("asset", asset(id, rid, row));
        }
        return page.page("record.mustache", scope);
    }

    /** The first rows of a related table, by name, each a link to its record. */
    private List<Map<String, Object>> first(
            String cid, Catalogs.At at, String snaptime, ModelIndex.Table table, String filter) {
        Optional<RowNames.Naming> naming = rowNames.naming(at, table);
        Set<String> columns = new LinkedHashSet<>();
        columns.add("RID");
        naming.ifPresent(n -> columns.addAll(n.columns()));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonValue v : queries.cached(
                at,
                snaptime,
                DataPath.Api.ATTRIBUTE,
                filter + "/"
                        + String.join(
                                ",", columns.stream().map(PathSegment::encode).toList()) + "@sort(RID)",
                RELATED_ROWS)) {
            JsonObject row = v.asJsonObject();
            String rid = row.getString("RID");
            String name =
                    naming.map(n -> n.render(row)).filter(t -> !t.isEmpty()).orElse(rid);
            rows.add(Map.of("name", name, "link", Cells.recordLink(cid, table.schema(), table.name(), rid)));
        }
        return rows;
    }

    private Map<String, Object> asset(long catalogId, String rid, JsonObject row) {
        Map<String, Object> a = new HashMap<>();
        String url = Recordset.text(row.get("URL"));
        String filename = Recordset.text(row.get("Filename"));
        a.put("filename", filename);
        a.put("md5", Recordset.text(row.get("MD5")));
        a.put(
                "length",
                row.isNull("Length")
                        ? ""
                        : String.format("%,d bytes", row.getJsonNumber("Length").longValue()));
        JsonObject described;
        try {
            described = assets.get(catalogId, rid);
        } catch (CairnException.NotFound deletedSince) {
            described = JsonBodies.JSON
                    .createObjectBuilder()
                    .add("Executions", JsonValue.EMPTY_JSON_ARRAY)
                    .build();
        }
        JsonValue info = described.get("File_Info");
        if (info != null && info.getValueType() == JsonValue.ValueType.OBJECT) {
            List<Map<String, Object>> items = readable(info.asJsonObject());
            a.put("info", items);
            a.put("hasInfo", !items.isEmpty());
        }
        JsonArray executions = described.getJsonArray("Executions");
        List<Map<String, Object>> runs = new ArrayList<>();
        for (JsonValue e : executions) {
            JsonObject x = e.asJsonObject();
            runs.add(Map.of(
                    "rid",
                    x.getString("Execution"),
                    "role",
                    x.getString("Asset_Role", ""),
                    "link",
                    "/web/" + catalogId + "/execution/" + x.getString("Execution")));
        }
        a.put("executions", runs);
        a.put("hasExecutions", !runs.isEmpty());
        if (!url.startsWith("/hatrac/")) {
            return a;
        }
        a.put("download", url);
        String extension = filename.contains(".")
                ? filename.substring(filename.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT)
                : "";
        try {
            HatracPath path = HatracPath.parse(url.substring("/hatrac".length()));
            VersionInfo v =
                    path.version() == null ? store.current(path.name()) : store.version(path.name(), path.version());
            a.put("sha256", v.sha256());
            if (IMAGES.contains(extension)) {
                a.put("image", url);
            } else if (TEXTS.contains(extension)
                    || (v.contentType() != null && v.contentType().startsWith("text/"))) {
                try (InputStream in = store.open(v, 0, Math.min(HEAD, v.length()))) {
                    String head = new String(in.readNBytes(HEAD), StandardCharsets.UTF_8);
                    a.put("head", head);
                    a.put("truncated", v.length() > HEAD);
                }
            }
        } catch (CairnException | IOException gone) {
            a.put("missing", "The file is not in this store.");
        }
        return a;
    }

    /** A registered asset's other versions (newest first) and the aliases of its name. */
    private Map<String, Object> registered(String cid, long catalogId, JsonObject row) {
        String namespace = Recordset.text(row.get("Namespace"));
        String name = Recordset.text(row.get("Name"));
        List<Map<String, Object>> versions = new ArrayList<>();
        for (JsonValue v : registryQueries.versions(catalogId, namespace, name)) {
            JsonObject o = v.asJsonObject();
            String id = Recordset.text(o.get("asset_id"));
            versions.add(Map.of(
                    "version",
                    Recordset.text(o.get("version")),
                    "tag",
                    Recordset.text(o.get("tag")),
                    "this",
                    id.equals(row.getString("RID")),
                    "link",
                    "/web/" + cid + "/record/deriva-ml:Registered_Asset/" + PathSegment.encode(id)));
        }
        List<Map<String, Object>> aliases = new ArrayList<>();
        for (JsonValue v : this.aliases.aliases(catalogId, namespace, name)) {
            JsonObject o = v.asJsonObject();
            aliases.add(Map.of(
                    "alias",
                    Recordset.text(o.get("alias")),
                    "asset",
                    Recordset.text(o.get("asset_id")),
                    "by",
                    Recordset.text(o.get("set_by")),
                    "at",
                    Recordset.text(o.get("set_at")),
                    "history",
                    "/api/catalogs/" + cid + "/registry/names/" + PathSegment.encode(name) + "/aliases/"
                            + PathSegment.encode(Recordset.text(o.get("alias"))) + "?namespace="
                            + PathSegment.encode(namespace)));
        }
        return Map.of(
                "name", (namespace.isEmpty() ? "" : namespace + "/") + name, "versions", versions, "aliases", aliases);
    }

    /** What inspection read from a file, as a person reads it: a row per item, nested items as their own table. */
    private static List<Map<String, Object>> readable(JsonObject info) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (Map.Entry<String, JsonValue> e : info.entrySet()) {
            Map<String, Object> item = new HashMap<>();
            item.put("name", e.getKey().replace('_', ' '));
            JsonValue v = e.getValue();
            // every item says whether it is an object: a template looks a missing key up in the enclosing item
            item.put("object", v.getValueType() == JsonValue.ValueType.OBJECT);
            if (v.getValueType() == JsonValue.ValueType.OBJECT) {
                item.put("nested", readable(v.asJsonObject()));
            } else {
                String text = v.getValueType() == JsonValue.ValueType.ARRAY
                                && v.asJsonArray().size() <= 20
                        ? String.join(
                                ", ",
                                v.asJsonArray().stream().map(Recordset::text).toList())
                        : Recordset.text(v);
                item.put("text", text.length() > 500 ? text.substring(0, 500) + "…" : text);
            }
            items.add(item);
        }
        return items;
    }
}
