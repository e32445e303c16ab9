-- Writers of one table no longer queue on one row. Every write statement records its time in
-- _ermrest.table_modified, and with one row per table an upsert there held that row's lock until
-- commit, so concurrent writers of a table ran one after another. Each table now has up to 16 rows,
-- one per slot; a statement writes the slot of its backend (pid mod 16), so concurrent sessions
-- rarely meet. Only the greatest time of all rows is read (the catalog's snaptime), which this keeps.
ALTER TABLE _ermrest.table_modified ADD COLUMN slot int2 NOT NULL DEFAULT 0;
ALTER TABLE _ermrest.table_modified DROP CONSTRAINT table_modified_pkey;
ALTER TABLE _ermrest.table_modified ADD PRIMARY KEY (table_oid, slot);
CREATE INDEX table_modified_ts ON _ermrest.table_modified (ts);
COMMENT ON COLUMN _ermrest.table_modified.slot IS 'The writing backend''s pid mod 16: concurrent writers of a table update different rows.';

CREATE FUNCTION _ermrest.table_touched(tbl oid) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO _ermrest.table_modified (table_oid, slot, ts) VALUES (tbl, pg_backend_pid() % 16, now())
        ON CONFLICT (table_oid, slot) DO UPDATE SET ts = GREATEST(_ermrest.table_modified.ts, EXCLUDED.ts)
$$;
COMMENT ON FUNCTION _ermrest.table_touched(oid) IS 'Records that a table changed in this transaction, in this backend''s slot.';

CREATE OR REPLACE FUNCTION _ermrest.close_history() RETURNS trigger
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
    PERFORM _ermrest.table_touched(TG_RELID);
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION _ermrest.open_history() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO _ermrest.row_history (table_oid, rid, during, rowdata)
    SELECT TG_RELID, n."RID", tstzrange(now(), NULL, '[)'), to_jsonb(n) FROM new_rows n;
    PERFORM _ermrest.table_touched(TG_RELID);
    RETURN NULL;
END
$$;
