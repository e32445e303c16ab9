-- Data history for snapshots: every version of every row, with the time range it was current,
-- so that /ermrest/catalog/{cid}@{snaptime}/... reads the catalog as it was. Statement-level
-- triggers with transition tables write history set-wise, one statement per request batch.

CREATE TABLE _ermrest.row_history (
    table_oid oid       NOT NULL,
    rid       text      NOT NULL,
    during    tstzrange NOT NULL,
    rowdata   jsonb     NOT NULL
);
CREATE INDEX row_history_current ON _ermrest.row_history (table_oid, rid) WHERE upper_inf(during);
CREATE INDEX row_history_at ON _ermrest.row_history (table_oid, lower(during));
COMMENT ON TABLE _ermrest.row_history IS 'Every version of every catalog row, for snapshot reads.';
COMMENT ON COLUMN _ermrest.row_history.table_oid IS 'The table (its PostgreSQL oid).';
COMMENT ON COLUMN _ermrest.row_history.rid IS 'RID of the row.';
COMMENT ON COLUMN _ermrest.row_history.during IS 'When this version was current: from its transaction''s time until the next change.';
COMMENT ON COLUMN _ermrest.row_history.rowdata IS 'The row''s columns as JSON.';

CREATE TABLE _ermrest.table_modified (
    table_oid oid         PRIMARY KEY,
    ts        timestamptz NOT NULL
);
COMMENT ON TABLE _ermrest.table_modified IS 'Time of the last change to each table; the catalog''s snaptime is the latest.';
COMMENT ON COLUMN _ermrest.table_modified.table_oid IS 'The table (its PostgreSQL oid).';
COMMENT ON COLUMN _ermrest.table_modified.ts IS 'Transaction time of its last change.';

CREATE TABLE _ermrest.model_modified (
    ts timestamptz PRIMARY KEY
);
COMMENT ON TABLE _ermrest.model_modified IS 'Times at which the model changed.';
COMMENT ON COLUMN _ermrest.model_modified.ts IS 'Transaction time of a model change.';
INSERT INTO _ermrest.model_modified VALUES (now());

-- ERMrest's snaptime text: epoch microseconds in the RID encoding.
CREATE FUNCTION _ermrest.snaptime_encode(ts timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT _ermrest.rid_encode((floor(extract(epoch FROM ts))::int8 * 1000000
                                + extract(microseconds FROM ts)::int8 % 1000000))
$$;
COMMENT ON FUNCTION _ermrest.snaptime_encode(timestamptz) IS 'Encodes a time as an ERMrest snaptime.';

CREATE FUNCTION _ermrest.catalog_snaptime() RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT GREATEST((SELECT max(ts) FROM _ermrest.table_modified), (SELECT max(ts) FROM _ermrest.model_modified))
$$;
COMMENT ON FUNCTION _ermrest.catalog_snaptime() IS 'Time of the catalog''s latest committed change.';

-- The rows of a table as they were at a time (the rows current then).
CREATE FUNCTION _ermrest.rows_at(tbl regclass, at timestamptz) RETURNS SETOF jsonb
LANGUAGE sql STABLE AS $$
    SELECT rowdata FROM _ermrest.row_history
    WHERE table_oid = tbl AND lower(during) <= at AND (upper_inf(during) OR upper(during) > at)
$$;
COMMENT ON FUNCTION _ermrest.rows_at(regclass, timestamptz) IS 'Rows of a table as they were at a time, as JSON.';

CREATE FUNCTION _ermrest.close_history() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- a version born in this same transaction never became visible: drop it
    DELETE FROM _ermrest.row_history h USING old_rows o
     WHERE h.table_oid = TG_RELID AND h.rid = o."RID" AND upper_inf(h.during) AND lower(h.during) = now();
    UPDATE _ermrest.row_history h SET during = tstzrange(lower(h.during), now(), '[)')
      FROM old_rows o
     WHERE h.table_oid = TG_RELID AND h.rid = o."RID" AND upper_inf(h.during);
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO _ermrest.row_history (table_oid, rid, during, rowdata)
        SELECT TG_RELID, n."RID", tstzrange(now(), NULL, '[)'), to_jsonb(n) FROM new_rows n;
    END IF;
    INSERT INTO _ermrest.table_modified (table_oid, ts) VALUES (TG_RELID, now())
        ON CONFLICT (table_oid) DO UPDATE SET ts = GREATEST(_ermrest.table_modified.ts, EXCLUDED.ts);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION _ermrest.close_history() IS 'Statement trigger: ends the current versions of updated or deleted rows; records updated ones.';

CREATE FUNCTION _ermrest.open_history() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO _ermrest.row_history (table_oid, rid, during, rowdata)
    SELECT TG_RELID, n."RID", tstzrange(now(), NULL, '[)'), to_jsonb(n) FROM new_rows n;
    INSERT INTO _ermrest.table_modified (table_oid, ts) VALUES (TG_RELID, now())
        ON CONFLICT (table_oid) DO UPDATE SET ts = GREATEST(_ermrest.table_modified.ts, EXCLUDED.ts);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION _ermrest.open_history() IS 'Statement trigger: records inserted rows as new current versions.';

CREATE FUNCTION _ermrest.track_history(schema_name text, table_name text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE TRIGGER ermrest_history_insert AFTER INSERT ON %I.%I '
                   'REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION _ermrest.open_history()',
                   schema_name, table_name);
    EXECUTE format('CREATE TRIGGER ermrest_history_update AFTER UPDATE ON %I.%I '
                   'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION _ermrest.close_history()',
                   schema_name, table_name);
    EXECUTE format('CREATE TRIGGER ermrest_history_delete AFTER DELETE ON %I.%I '
                   'REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION _ermrest.close_history()',
                   schema_name, table_name);
    -- rows that exist already are current since their last modification
    EXECUTE format('INSERT INTO _ermrest.row_history (table_oid, rid, during, rowdata) '
                   'SELECT %L::regclass, t."RID", tstzrange(t."RMT", NULL, ''[)''), to_jsonb(t) FROM %I.%I t',
                   format('%I.%I', schema_name, table_name), schema_name, table_name);
END
$$;
COMMENT ON FUNCTION _ermrest.track_history(text, text) IS 'Starts keeping the history of a table.';

-- From now on every registered table keeps its history.
CREATE OR REPLACE FUNCTION _ermrest.register_table(schema_name text, table_name text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('ALTER TABLE %I.%I ADD CONSTRAINT %I UNIQUE ("RID")',
                   schema_name, table_name, table_name || '_RIDkey1');
    EXECUTE format('CREATE TRIGGER ermrest_maintain_row BEFORE INSERT OR UPDATE ON %I.%I '
                   'FOR EACH ROW EXECUTE FUNCTION _ermrest.maintain_row()', schema_name, table_name);
    PERFORM _ermrest.track_history(schema_name, table_name);
END
$$;

-- The tables that exist already.
SELECT _ermrest.track_history(n.nspname, c.relname)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('_ermrest', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
   AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'RID' AND NOT a.attisdropped);
