-- 1. ERMrest fills '{RID}' in the defaults of ermrest_curie and ermrest_uri columns. Tables
--    created over REST get the same trigger as the migrated vocabularies: the catalog engine calls
--    refresh_rid_templates after it creates a table or adds a column.
CREATE FUNCTION _ermrest.refresh_rid_templates(schema_name text, table_name text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    columns text;
BEGIN
    SELECT string_agg(quote_literal(a.attname), ', ' ORDER BY a.attnum) INTO columns
      FROM pg_attribute a
      JOIN pg_type t ON t.oid = a.atttypid
      JOIN pg_namespace tn ON tn.oid = t.typnamespace
      JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.attrelid = format('%I.%I', schema_name, table_name)::regclass
       AND NOT a.attisdropped AND tn.nspname = 'public' AND t.typname IN ('ermrest_curie', 'ermrest_uri')
       AND pg_get_expr(d.adbin, d.adrelid) LIKE '%{RID}%';
    EXECUTE format('DROP TRIGGER IF EXISTS ermrest_rid_templates ON %I.%I', schema_name, table_name);
    IF columns IS NOT NULL THEN
        EXECUTE format('CREATE TRIGGER ermrest_rid_templates BEFORE INSERT ON %I.%I '
                       'FOR EACH ROW EXECUTE FUNCTION _ermrest.fill_rid_templates(%s)', schema_name, table_name, columns);
    END IF;
END
$$;
COMMENT ON FUNCTION _ermrest.refresh_rid_templates(text, text) IS
    'Installs (or removes) the trigger that expands {RID} in the defaults of a table''s ermrest_curie and ermrest_uri columns.';
