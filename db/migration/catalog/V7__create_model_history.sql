-- Model history for snapshots: the model document after every model change, with where each
-- table's rows are kept (its oid) and each column's position (attnum), so that a read at
-- /ermrest/catalog/{cid}@{snaptime}/... resolves names against the model as it was then.
CREATE TABLE _ermrest.model_history (
    ts      timestamptz PRIMARY KEY,
    model   jsonb       NOT NULL,
    storage jsonb       NOT NULL
);
COMMENT ON TABLE _ermrest.model_history IS 'The model after each change, for reads at a snapshot.';
COMMENT ON COLUMN _ermrest.model_history.ts IS 'Transaction time of the change; the model held from then until the next row.';
COMMENT ON COLUMN _ermrest.model_history.model IS 'The model document as GET /schema showed it.';
COMMENT ON COLUMN _ermrest.model_history.storage IS 'For each schema and table: its oid (the key of its row history) and the attnum of each column.';

-- The model as PostgreSQL holds it now: {schema: {table: {"oid": n, "columns": {name: attnum}}}}.
CREATE FUNCTION _ermrest.model_storage() RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT coalesce(jsonb_object_agg(nspname, tables), '{}'::jsonb) FROM (
        SELECT n.nspname, jsonb_object_agg(c.relname, jsonb_build_object('oid', c.oid::int8, 'columns',
                   (SELECT coalesce(jsonb_object_agg(a.attname, a.attnum), '{}'::jsonb) FROM pg_attribute a
                     WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped))) AS tables
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'p') AND n.nspname NOT LIKE 'pg\_%' AND n.nspname NOT LIKE '\_%'
           AND n.nspname <> 'information_schema'
         GROUP BY n.nspname) AS s
$$;
COMMENT ON FUNCTION _ermrest.model_storage() IS 'Oids of the model''s tables and attnums of their columns.';

-- Row history keeps the values of a column under its current name while the column lives, and
-- under chr(1) || attnum once it (or its table) is dropped: a name no column can have.
CREATE FUNCTION _ermrest.history_rename_key(tbl regclass, old_key text, new_key text) RETURNS void
LANGUAGE sql AS $$
    UPDATE _ermrest.row_history SET rowdata = (rowdata - old_key) || jsonb_build_object(new_key, rowdata -> old_key)
     WHERE table_oid = tbl AND rowdata ? old_key
$$;
COMMENT ON FUNCTION _ermrest.history_rename_key(regclass, text, text) IS 'Renames a column''s key in a table''s row history.';

CREATE FUNCTION _ermrest.history_retire_table(tbl regclass) RETURNS void
LANGUAGE sql AS $$
    UPDATE _ermrest.row_history h
       SET rowdata = (SELECT jsonb_object_agg(coalesce(chr(1) || a.attnum, e.key), e.value)
                        FROM jsonb_each(h.rowdata) AS e
                        LEFT JOIN pg_attribute a ON a.attrelid = tbl AND a.attname = e.key AND a.attnum > 0 AND NOT a.attisdropped)
     WHERE h.table_oid = tbl
$$;
COMMENT ON FUNCTION _ermrest.history_retire_table(regclass) IS 'Before a table is dropped: keys its row history by attnum.';
