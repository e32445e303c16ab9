package dev.cairn.web.control;

import dev.cairn.catalog.control.DataQuery;
import dev.cairn.catalog.control.ModelIndex;
import dev.cairn.catalog.entity.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which facets a table offers, from its model alone: a choice of values for foreign keys,
 * text and booleans; a range (with a histogram for numbers and dates) for numbers, dates and
 * timestamps; present/absent for the rest (JSON, arrays) and for columns that are a key by
 * themselves (every value is unique, so counting them says nothing). Foreign keys come first,
 * then the table's own columns, then the system columns.
 */
public final class FacetPlan {

    public enum Kind {
        CHOICE,
        RANGE,
        PRESENCE
    }

    /**
     * A facet; {@code histogram} when its values can be binned, {@code references} the table a foreign
     * key points to.
     */
    public record Facet(String column, Kind kind, boolean histogram, String type, String references) {}

    static final Set<String> CHOICES = Set.of("text", "bool");
    public static final Set<String> SYSTEM = Set.of("RID", "RCT", "RMT", "RCB", "RMB");

    private FacetPlan() {}

    public static List<Facet> of(ModelIndex.Table table) {
        List<Facet> linked = new ArrayList<>();
        List<Facet> own = new ArrayList<>();
        List<Facet> system = new ArrayList<>();
        for (Model.Column c : table.columns().values()) {
            if (c.name().equals("RID")) {
                continue;
            }
            Facet f = facet(table, c);
            (SYSTEM.contains(c.name()) ? system : f.references() != null ? linked : own).add(f);
        }
        List<Facet> all = new ArrayList<>(linked);
        all.addAll(own);
        all.addAll(system);
        return all;
    }

    private static Facet facet(ModelIndex.Table table, Model.Column c) {
        String references = table.outbound().stream()
                .filter(l ->
                        l.fromColumns().size() == 1 && l.fromColumns().get(0).equals(c.name()))
                .map(l -> l.to().schema() + ":" + l.to().name())
                .findFirst()
                .orElse(null);
        // the type values compare as (a domain's base type), as the data engine casts them
        String type = DataQuery.comparable(c.type());
        boolean uniqueAlone = table.keys().stream()
                .anyMatch(k -> k.columns().size() == 1 && k.columns().get(0).equals(c.name()));
        if (type == null || uniqueAlone) {
            return new Facet(c.name(), Kind.PRESENCE, false, type, references);
        }
        if (references != null || CHOICES.contains(type)) {
            return new Facet(c.name(), Kind.CHOICE, false, type, references);
        }
        if (DataQuery.NUMBERS.contains(type) || type.equals("date")) {
            return new Facet(c.name(), Kind.RANGE, true, type, null);
        }
        if (type.startsWith("timestamp")) {
            return new Facet(c.name(), Kind.RANGE, false, type, null);
        }
        return new Facet(c.name(), Kind.PRESENCE, false, type, null);
    }

    /** Whether rows can be sorted (and so keyset-paged) by this column's values. */
    public static boolean sortable(Model.Column c) {
        return DataQuery.comparable(c.type()) != null;
    }
}
