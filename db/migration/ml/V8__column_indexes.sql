-- DerivaML's tables get the column indexes every ERMrest table has (catalog V12: a btree index on
-- every column, a trigram index on every text column), in new catalogs and existing ones.
SELECT _ermrest.index_columns(n.nspname, c.relname)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p') AND n.nspname = 'deriva-ml'
   AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'RID' AND NOT a.attisdropped);
