package dev.cairn.catalog.control;

import dev.cairn.catalog.entity.Model;
import dev.cairn.platform.CairnException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * A catalog's model arranged for resolving data paths: tables by qualified and (when unambiguous)
 * bare name, their columns, and every foreign key seen from both ends.
 */
public final class ModelIndex {

    /**
     * A table with what resolution needs. {@code oid} and {@code storageKeys} say where a snapshot
     * finds its rows (the table's row history, each column under its key there); for today's model
     * they are null and the names serve.
     */
    public record Table(
            String schema,
            String name,
            Map<String, Model.Column> columns,
            List<Model.Key> keys,
            List<Link> outbound,
            List<Link> inbound,
            Long oid,
            Map<String, String> storageKeys) {

        /** The key under which the row history keeps a column's values. */
        public String storageKey(String column) {
            return storageKeys == null ? column : storageKeys.getOrDefault(column, column);
        }

        public Model.Column column(String column) {
            Model.Column c = columns.get(column);
            if (c == null) {
                throw new CairnException.NotFound("Table " + schema + ":" + name + " has no column '" + column + "'.");
            }
            return c;
        }

        public boolean hasRid() {
            return columns.containsKey("RID");
        }

        @Override
        public String toString() {
            return schema + ":" + name;
        }

        // Tables and links refer to each other in cycles (a table's links name the table): a record's own equals and
        // hashCode would follow them for ever. A table is its schema, name and relation.
        @Override
        public boolean equals(Object other) {
            return other instanceof Table t
                    && schema.equals(t.schema)
                    && name.equals(t.name)
                    && Objects.equals(oid, t.oid);
        }

        @Override
        public int hashCode() {
            return Objects.hash(schema, name);
        }
    }

    /** A foreign key from {@code from.fromColumns} to {@code to.toColumns}. */
    public record Link(Table from, List<String> fromColumns, Table to, List<String> toColumns) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Link l
                    && from.equals(l.from)
                    && fromColumns.equals(l.fromColumns)
                    && to.equals(l.to)
                    && toColumns.equals(l.toColumns);
        }

        @Override
        public int hashCode() {
            return Objects.hash(from, fromColumns, to, toColumns);
        }

        @Override
        public String toString() {
            return from + " " + fromColumns + " -> " + to + " " + toColumns;
        }
    }

    private final Map<List<String>, Table> byQualifiedName = new LinkedHashMap<>();
    private final Map<String, List<Table>> byName = new HashMap<>();

    public ModelIndex(Model model) {
        this(model, (schema, table) -> null, (schema, table) -> null);
    }

    /** A model as it was, with where its tables' rows are in the row history. */
    ModelIndex(
            Model model,
            BiFunction<String, String, Long> oids,
            BiFunction<String, String, Map<String, String>> storageKeys) {
        model.schemas()
                .forEach((schemaName, schema) -> schema.tables().forEach((tableName, t) -> {
                    Map<String, Model.Column> columns = new LinkedHashMap<>();
                    t.columns().forEach(c -> columns.put(c.name(), c));
                    Table table = new Table(
                            schemaName,
                            tableName,
                            columns,
                            t.keys(),
                            new ArrayList<>(),
                            new ArrayList<>(),
                            oids.apply(schemaName, tableName),
                            storageKeys.apply(schemaName, tableName));
                    byQualifiedName.put(List.of(schemaName, tableName), table);
                    byName.computeIfAbsent(tableName, n -> new ArrayList<>()).add(table);
                }));
        model.schemas()
                .forEach((schemaName, schema) -> schema.tables().forEach((tableName, t) -> {
                    Table from = byQualifiedName.get(List.of(schemaName, tableName));
                    for (Model.ForeignKey fk : t.foreignKeys()) {
                        Model.ColumnRef first = fk.referencedColumns().get(0);
                        Table to = byQualifiedName.get(List.of(first.schemaName(), first.tableName()));
                        if (to == null) {
                            continue;
                        }
                        Link link = new Link(
                                from,
                                fk.columns().stream()
                                        .map(Model.ColumnRef::columnName)
                                        .toList(),
                                to,
                                fk.referencedColumns().stream()
                                        .map(Model.ColumnRef::columnName)
                                        .toList());
                        from.outbound().add(link);
                        to.inbound().add(link);
                    }
                }));
    }

    /** A table by {@code schema:table}, or by bare name when only one schema has it. */
    public Table table(String schema, String name) {
        if (schema != null) {
            Table t = byQualifiedName.get(List.of(schema, name));
            if (t == null) {
                throw new CairnException.NotFound("No table " + schema + ":" + name + ".");
            }
            return t;
        }
        List<Table> candidates = byName.getOrDefault(name, List.of());
        if (candidates.isEmpty()) {
            throw new CairnException.NotFound("No table " + name + ".");
        }
        if (candidates.size() > 1) {
            throw new CairnException.BadRequest(
                    "Table name " + name + " is ambiguous: " + candidates + "; qualify it as schema:table.");
        }
        return candidates.get(0);
    }

    public Collection<Table> tables() {
        return byQualifiedName.values();
    }
}
