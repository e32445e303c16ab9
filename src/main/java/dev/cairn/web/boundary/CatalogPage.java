package dev.cairn.web.boundary;

import dev.cairn.asset.control.AssetTables;
import dev.cairn.catalog.control.Catalogs;
import dev.cairn.catalog.control.DataPath;
import dev.cairn.catalog.control.ModelIndex;
import dev.cairn.catalog.control.Models;
import dev.cairn.catalog.entity.Catalog;
import dev.cairn.catalog.entity.Model;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.PathSegment;
import dev.cairn.vocabulary.control.Vocabularies;
import dev.cairn.web.control.Cells;
import dev.cairn.web.control.Ermrest;
import dev.cairn.web.control.FacetPlan;
import dev.cairn.web.control.PageQueries;
import dev.cairn.web.control.Recordset;
import dev.cairn.web.control.Selection;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A catalog's front page (its schemas and tables with row counts and comments, and one click to
 * its asset tables, vocabularies, datasets, executions and registered assets) and its search over
 * every table. Access: {@code enumerate} on the catalog; only tables the client may select are
 * listed and searched.
 */
@Path("/web/{cid: [0-9]{1,18}}")
public class CatalogPage {

    /** Matches shown per table in a search. */
    static final int PER_TABLE = 5;

    static final Set<String> ML_TABLES = Set.of("Dataset", "Execution", "Workflow", "Registered_Asset");

    @Inject
    PageContext page;

    @Inject
    Models models;

    @Inject
    PageQueries queries;

    @Inject
    AssetTables assetTables;

    @Inject
    Vocabularies vocabularies;

    @GET
    @Produces(PageContext.HTML)
    public Response catalog(@PathParam("cid") String cid) {
        Catalogs.At at = page.catalog().at();
        Catalog catalog = at.catalog();
        page.catalog().require("enumerate");
        Model model = models.model(catalog.id());
        Set<String> assets = new HashSet<>();
        assetTables.list(catalog.id()).forEach(a -> assets.add(a.schema() + ":" + a.name()));
        Set<String> vocab = new HashSet<>();
        vocabularies.list(catalog.id()).forEach(v -> vocab.add(v.schema() + ":" + v.table()));

        String snaptime = queries.snaptime(at);
        List<Map<String, Object>> schemas = new ArrayList<>();
        List<Map<String, Object>> shortcuts = new ArrayList<>();
        List<Map<String, Object>> assetLinks = new ArrayList<>();
        List<Map<String, Object>> vocabLinks = new ArrayList<>();
        for (Map.Entry<String, Model.Schema> s : new TreeMap<>(model.schemas()).entrySet()) {
            if (s.getKey().equals("public") || s.getKey().startsWith("_")) {
                continue;
            }
            List<Map<String, Object>> tables = new ArrayList<>();
            for (Map.Entry<String, Model.Table> t : new TreeMap<>(s.getValue().tables()).entrySet()) {
                String qualified = s.getKey() + ":" + t.getKey();
                if (!page.catalog().allowed("select", s.getKey(), t.getKey())) {
                    continue;
                }
                Map<String, Object> row = new HashMap<>();
                String link = Cells.tableLink(cid, s.getKey(), t.getKey());
                row.put("name", t.getKey());
                row.put("link", link);
                row.put(
                        "comment",
                        t.getValue().comment() == null ? "" : t.getValue().comment());
                long count = queries.cached(
                                at,
                                snaptime,
                                DataPath.Api.AGGREGATE,
                                Ermrest.table(s.getKey(), t.getKey()) + "/n:=cnt(*)",
                                1)
                        .getJsonObject(0)
                        .getJsonNumber("n")
                        .longValue();
                row.put("count", String.format("%,d", count));
                row.put(
                        "kind",
                        assets.contains(qualified) ? "asset table" : vocab.contains(qualified) ? "vocabulary" : "");
                tables.add(row);
                Map<String, Object> shortcut = Map.of("name", t.getKey(), "link", link, "count", row.get("count"));
                if (s.getKey().equals("deriva-ml") && ML_TABLES.contains(t.getKey())) {
                    shortcuts.add(shortcut);
                } else if (assets.contains(qualified)) {
                    assetLinks.add(shortcut);
                } else if (vocab.contains(qualified)) {
                    vocabLinks.add(shortcut);
                }
            }
            schemas.add(Map.of(
                    "name",
                    s.getKey(),
                    "comment",
                    s.getValue().comment() == null ? "" : s.getValue().comment(),
                    "tables",
                    tables));
        }
        Map<String, Object> scope = page.scope(catalog.name(), cid);
        scope.put("name", catalog.name());
        scope.put("description", catalog.description() == null ? "" : catalog.description());
        scope.put("schemas", schemas);
        scope.put("shortcuts", shortcuts);
        scope.put("assets", assetLinks);
        scope.put("vocabularies", vocabLinks);
        return page.page("catalog.mustache", scope);
    }

    /** Rows of every table the client may read that contain all the words, a few per table. */
    @GET
    @Path("search")
    @Produces(PageContext.HTML)
    public Response search(@PathParam("cid") String cid, @QueryParam("q") String q) {
        Catalogs.At at = page.catalog().at();
        long id = at.catalog().id();
        page.catalog().require("enumerate");
        String text = q == null ? "" : q.strip();
        if (text.length() > Selection.MAX_TEXT) {
            throw new CairnException.BadRequest("The search is longer than " + Selection.MAX_TEXT + " characters.");
        }
        List<Map<String, Object>> results = new ArrayList<>();
        if (!text.isEmpty()) {
            StringBuilder filter = new StringBuilder();
            for (String word : text.split("\\s+")) {
                filter.append("/*::ciregexp::").append(PathSegment.encode(Ermrest.literalRegex(word)));
            }
            for (ModelIndex.Table t : models.index(id).tables()) {
                if (t.schema().equals("public")
                        || t.schema().startsWith("_")
                        || !t.hasRid()
                        || !page.catalog().allowed("select", t.schema(), t.name())) {
                    continue;
                }
                var rows = queries.read(
                                at,
                                DataPath.Api.ENTITY,
                                Ermrest.table(t.schema(), t.name()) + filter + "@sort(RID)",
                                PER_TABLE + 1)
                        .rows();
                if (rows.isEmpty()) {
                    continue;
                }
                List<Map<String, Object>> hits = new ArrayList<>();
                for (int i = 0; i < Math.min(PER_TABLE, rows.size()); i++) {
                    JsonObject row = rows.getJsonObject(i);
                    hits.add(Map.of(
                            "rid",
                            row.getString("RID"),
                            "link",
                            "/web/" + cid + "/record/" + PathSegment.encode(t.schema() + ":" + t.name()) + "/"
                                    + row.getString("RID"),
                            "summary",
                            summary(row)));
                }
                String all = Cells.tableLink(cid, t.schema(), t.name()) + "?q=" + PathSegment.encode(text);
                results.add(Map.of(
                        "table",
                        t.schema() + ":" + t.name(),
                        "hits",
                        hits,
                        "more",
                        rows.size() > PER_TABLE,
                        "all",
                        all));
            }
            results.sort(Comparator.comparing(m -> (String) m.get("table")));
        }
        Map<String, Object> scope = page.scope("Search", cid);
        scope.put("q", text);
        scope.put("searched", !text.isEmpty());
        scope.put("results", results);
        scope.put("none", !text.isEmpty() && results.isEmpty());
        return page.page("search.mustache", scope);
    }

    /** A row in one line: its first few non-system values. */
    static String summary(JsonObject row) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, JsonValue> e : row.entrySet()) {
            if (FacetPlan.SYSTEM.contains(e.getKey()) || e.getValue().getValueType() == JsonValue.ValueType.NULL) {
                continue;
            }
            String v = Recordset.text(e.getValue());
            parts.add(e.getKey() + ": " + (v.length() > 60 ? v.substring(0, 60) + "…" : v));
            if (parts.size() == 4) {
                break;
            }
        }
        return String.join(" · ", parts);
    }
}
