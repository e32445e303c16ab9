-- Indexes on columns, as ERMrest makes them: a btree index on every column, so that filters, sorts
-- and facet counts on any column use an index, and a trigram (pg_trgm) GIN index on every text
-- column, so that free-text search (ciregexp, ::ts::), equality and facet search use one too.
-- Two differences, measured (bench/catalog.sh): trigram indexes cost an insert most, so the text
-- columns whose values are identifiers (foreign keys, and the system columns RID, RCB and RMB) get a
-- btree instead, which serves their equality filters and joins; and other text columns get no btree:
-- a btree entry holds at most 2,704 bytes, and a btree on a free text column would refuse a long
-- description, while the trigram index serves those columns' filters.
-- ERMrest's annotation tag:isrd.isi.edu,2018:indexing-preferences on a table or a column,
-- {"btree": false} or {"trgm": false}, leaves them out (a column's preference wins over its table's),
-- for write-heavy tables. Indexes are made when a table or column is created; this migration makes
-- them for the tables that exist already.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE FUNCTION _ermrest.index_columns(schema_name text, table_name text, only_column text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    tag CONSTANT text := 'tag:isrd.isi.edu,2018:indexing-preferences';
    rel oid := format('%I.%I', schema_name, table_name)::regclass;
    table_prefs jsonb;
    prefs jsonb;
    col record;
    made integer := 0;
    -- the schema pg_trgm was installed in (this migration's, or another an administrator chose)
    trgm_ops text := (SELECT format('%I.%I', n.nspname, o.opcname)
                        FROM pg_opclass o JOIN pg_namespace n ON n.oid = o.opcnamespace
                        JOIN pg_am am ON am.oid = o.opcmethod
                       WHERE o.opcname = 'gin_trgm_ops' AND am.amname = 'gin' LIMIT 1);
BEGIN
    SELECT value INTO table_prefs FROM _ermrest.annotation a
     WHERE a.schema_name = index_columns.schema_name AND a.table_name = index_columns.table_name
       AND a.column_name = '' AND a.constraint_name = '' AND a.uri = tag;
    FOR col IN
        -- a domain (ermrest_rid...) by its base type
        SELECT att.attnum, att.attname, base.typname, base.typcategory,
               att.attname IN ('RID', 'RCB', 'RMB')
               OR EXISTS (SELECT 1 FROM pg_constraint f
                           WHERE f.conrelid = rel AND f.contype = 'f' AND att.attnum = ANY (f.conkey)) AS identifier
          FROM pg_attribute att JOIN pg_type t ON t.oid = att.atttypid
          JOIN pg_type base ON base.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
         WHERE att.attrelid = rel AND att.attnum > 0 AND NOT att.attisdropped
           AND (only_column IS NULL OR att.attname = only_column)
    LOOP
        SELECT value INTO prefs FROM _ermrest.annotation a
         WHERE a.schema_name = index_columns.schema_name AND a.table_name = index_columns.table_name
           AND a.column_name = col.attname AND a.constraint_name = '' AND a.uri = tag;
        prefs := coalesce(table_prefs, '{}'::jsonb) || coalesce(prefs, '{}'::jsonb);
        -- btree: numbers, booleans, times, uuids, addresses, and identifiers held as text (foreign
        -- keys, RID, RCB, RMB), unless an index already leads with the column
        IF coalesce((prefs ->> 'btree')::boolean, true)
           AND (col.typcategory IN ('N', 'B', 'D', 'T', 'I') OR col.typname = 'uuid'
                OR (col.typcategory = 'S' AND col.identifier))
           AND NOT EXISTS (SELECT 1 FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                                                    JOIN pg_am am ON am.oid = ic.relam
                            WHERE i.indrelid = rel AND i.indkey[0] = col.attnum AND am.amname = 'btree') THEN
            EXECUTE format('CREATE INDEX ON %I.%I (%I)', schema_name, table_name, col.attname);
            made := made + 1;
        END IF;
        -- trigram: other text columns
        IF coalesce((prefs ->> 'trgm')::boolean, true) AND trgm_ops IS NOT NULL AND col.typname IN ('text', 'varchar')
           AND NOT col.identifier
           AND NOT EXISTS (SELECT 1 FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                                                    JOIN pg_am am ON am.oid = ic.relam
                            WHERE i.indrelid = rel AND i.indkey[0] = col.attnum AND am.amname = 'gin') THEN
            EXECUTE format('CREATE INDEX ON %I.%I USING gin (%I %s)', schema_name, table_name, col.attname, trgm_ops);
            made := made + 1;
        END IF;
    END LOOP;
    RETURN made;
END
$$;
COMMENT ON FUNCTION _ermrest.index_columns(text, text, text) IS
    'Makes the btree and trigram indexes a table''s columns (or one column) lack, as ERMrest does, honouring indexing-preferences.';

-- the tables that exist already (user tables: those with a RID; ERMrest's own client tables too)
SELECT _ermrest.index_columns(n.nspname, c.relname)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('_ermrest', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
   AND n.nspname NOT LIKE '\_%'
   AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'RID' AND NOT a.attisdropped);
