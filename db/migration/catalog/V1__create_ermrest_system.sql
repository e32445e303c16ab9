-- ERMrest's system layer of a catalog: RIDs, the five system columns maintained by the database,
-- ERMrest's column domains, and model annotations. Flyway runs this with search_path = _ermrest,
-- so every name is schema-qualified.

CREATE SCHEMA IF NOT EXISTS _ermrest;
COMMENT ON SCHEMA _ermrest IS 'Cairn''s catalog internals; not part of the user-visible model.';

-- ERMrest's named column types.
CREATE DOMAIN public.ermrest_rid AS text;
CREATE DOMAIN public.ermrest_rct AS timestamptz;
CREATE DOMAIN public.ermrest_rmt AS timestamptz;
CREATE DOMAIN public.ermrest_rcb AS text;
CREATE DOMAIN public.ermrest_rmb AS text;
CREATE DOMAIN public.ermrest_uri AS text;
CREATE DOMAIN public.ermrest_curie AS text;
CREATE DOMAIN public.markdown AS text;
CREATE DOMAIN public.longtext AS text;
CREATE DOMAIN public.gene_sequence AS text;
CREATE DOMAIN public.color_rgb_hex AS text CHECK (VALUE ~ '^#[0-9a-fA-F]{6}$');
COMMENT ON DOMAIN public.ermrest_rid IS 'Record id: a value of _ermrest.rid_seq in ERMrest''s base32 encoding.';
COMMENT ON DOMAIN public.ermrest_rct IS 'Record creation time.';
COMMENT ON DOMAIN public.ermrest_rmt IS 'Record last modification time.';
COMMENT ON DOMAIN public.ermrest_rcb IS 'Client id of the record''s creator.';
COMMENT ON DOMAIN public.ermrest_rmb IS 'Client id of the record''s last modifier.';
COMMENT ON DOMAIN public.ermrest_uri IS 'A URI; a default may contain {RID}, replaced by the row''s RID.';
COMMENT ON DOMAIN public.ermrest_curie IS 'A compact URI (prefix:reference); a default may contain {RID}.';
COMMENT ON DOMAIN public.markdown IS 'Text in Markdown.';
COMMENT ON DOMAIN public.longtext IS 'Long text.';
COMMENT ON DOMAIN public.gene_sequence IS 'A gene sequence.';
COMMENT ON DOMAIN public.color_rgb_hex IS 'A colour as #RRGGBB.';

-- One sequence for every RID of the catalog.
CREATE SEQUENCE _ermrest.rid_seq NO CYCLE;
COMMENT ON SEQUENCE _ermrest.rid_seq IS 'Source of every RID in this catalog.';

-- ERMrest's RID text: the value shifted left one bit, in Crockford base32, hyphen-separated in
-- groups of four symbols counted from the right, without leading zeros.
CREATE FUNCTION _ermrest.rid_encode(value bigint) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    symbols  CONSTANT text := '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    rest     numeric := value::numeric * 2;
    encoded  text := '';
    position int := 0;
BEGIN
    IF value < 0 THEN
        RAISE EXCEPTION 'RID values are not negative: %', value;
    END IF;
    LOOP
        IF position > 0 AND position % 4 = 0 THEN
            encoded := '-' || encoded;
        END IF;
        encoded := substr(symbols, (rest % 32)::int + 1, 1) || encoded;
        rest := div(rest, 32);
        position := position + 1;
        EXIT WHEN rest = 0;
    END LOOP;
    RETURN encoded;
END
$$;
COMMENT ON FUNCTION _ermrest.rid_encode(bigint) IS 'Encodes a RID sequence value as ERMrest RID text.';

-- The client a transaction acts for, set per transaction by the server (set_config('cairn.client', ..., true)).
CREATE FUNCTION _ermrest.current_client() RETURNS text
LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('cairn.client', true), '') $$;
COMMENT ON FUNCTION _ermrest.current_client() IS 'Client id of the current transaction, null when anonymous.';

-- Template for the five system columns: tables are created with
-- (LIKE _ermrest.system_columns INCLUDING DEFAULTS INCLUDING COMMENTS, ...) so they come first.
CREATE TABLE _ermrest.system_columns (
    "RID" public.ermrest_rid NOT NULL DEFAULT _ermrest.rid_encode(nextval('_ermrest.rid_seq')),
    "RCT" public.ermrest_rct NOT NULL DEFAULT now(),
    "RMT" public.ermrest_rmt NOT NULL DEFAULT now(),
    "RCB" public.ermrest_rcb DEFAULT _ermrest.current_client(),
    "RMB" public.ermrest_rmb DEFAULT _ermrest.current_client()
);
COMMENT ON TABLE _ermrest.system_columns IS 'Template of the system columns every catalog table starts with; holds no rows.';
COMMENT ON COLUMN _ermrest.system_columns."RID" IS 'System-generated unique row ID.';
COMMENT ON COLUMN _ermrest.system_columns."RCT" IS 'System-generated row creation timestamp.';
COMMENT ON COLUMN _ermrest.system_columns."RMT" IS 'System-generated row modification timestamp.';
COMMENT ON COLUMN _ermrest.system_columns."RCB" IS 'System-generated row created by user provenance.';
COMMENT ON COLUMN _ermrest.system_columns."RMB" IS 'System-generated row modified by user provenance.';

-- Keeps the system columns true whatever a client writes: creation facts never change, and
-- every change records when and by whom.
CREATE FUNCTION _ermrest.maintain_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW."RCT" := now();
        NEW."RCB" := _ermrest.current_client();
    ELSE
        NEW."RID" := OLD."RID";
        NEW."RCT" := OLD."RCT";
        NEW."RCB" := OLD."RCB";
    END IF;
    NEW."RMT" := now();
    NEW."RMB" := _ermrest.current_client();
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION _ermrest.maintain_row() IS 'Row trigger: sets RCT/RCB on insert, RMT/RMB on every write, keeps RID, RCT and RCB on update.';

-- Replaces {RID} in the named text columns (trigger arguments) by the row's RID, for
-- ERMrest-style templated defaults such as '/id/{RID}'.
CREATE FUNCTION _ermrest.fill_rid_templates() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    current jsonb := to_jsonb(NEW);
    filled  jsonb := '{}'::jsonb;
    name    text;
BEGIN
    FOREACH name IN ARRAY TG_ARGV LOOP
        IF current ->> name LIKE '%{RID}%' THEN
            filled := filled || jsonb_build_object(name, replace(current ->> name, '{RID}', NEW."RID"));
        END IF;
    END LOOP;
    RETURN jsonb_populate_record(NEW, filled);
END
$$;
COMMENT ON FUNCTION _ermrest.fill_rid_templates() IS 'Row trigger: expands {RID} in the columns named by its arguments.';

-- Makes a table created with the system-column template a catalog table: the RID key and the
-- row-maintenance trigger.
CREATE FUNCTION _ermrest.register_table(schema_name text, table_name text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('ALTER TABLE %I.%I ADD CONSTRAINT %I UNIQUE ("RID")',
                   schema_name, table_name, table_name || '_RIDkey1');
    EXECUTE format('CREATE TRIGGER ermrest_maintain_row BEFORE INSERT OR UPDATE ON %I.%I '
                   'FOR EACH ROW EXECUTE FUNCTION _ermrest.maintain_row()', schema_name, table_name);
END
$$;
COMMENT ON FUNCTION _ermrest.register_table(text, text) IS 'Adds the RID key and the system-column trigger to a table.';

-- Annotations of the model, keyed by the names of what they annotate: the catalog (all names
-- empty), a schema, a table, a column, or a key or foreign key (constraint_name set).
CREATE TABLE _ermrest.annotation (
    schema_name     text  NOT NULL DEFAULT '',
    table_name      text  NOT NULL DEFAULT '',
    column_name     text  NOT NULL DEFAULT '',
    constraint_name text  NOT NULL DEFAULT '',
    uri             text  NOT NULL,
    value           jsonb NOT NULL,
    PRIMARY KEY (schema_name, table_name, column_name, constraint_name, uri)
);
COMMENT ON TABLE _ermrest.annotation IS 'ERMrest annotations of the catalog, schemas, tables, columns, keys and foreign keys.';
COMMENT ON COLUMN _ermrest.annotation.schema_name IS 'Annotated schema, or empty for the catalog.';
COMMENT ON COLUMN _ermrest.annotation.table_name IS 'Annotated table, or empty.';
COMMENT ON COLUMN _ermrest.annotation.column_name IS 'Annotated column, or empty.';
COMMENT ON COLUMN _ermrest.annotation.constraint_name IS 'Annotated key or foreign key constraint, or empty.';
COMMENT ON COLUMN _ermrest.annotation.uri IS 'Annotation key, a tag URI.';
COMMENT ON COLUMN _ermrest.annotation.value IS 'Annotation value, any JSON, returned as given.';

-- ERMrest's client and group tables, which Deriva clients expect in every catalog.
COMMENT ON SCHEMA public IS 'Standard public schema';

CREATE TABLE public."ERMrest_Client" (
    LIKE _ermrest.system_columns INCLUDING DEFAULTS INCLUDING COMMENTS,
    "ID"            text  NOT NULL UNIQUE,
    "Display_Name"  text,
    "Full_Name"     text,
    "Email"         text,
    "Client_Object" jsonb NOT NULL
);
SELECT _ermrest.register_table('public', 'ERMrest_Client');
COMMENT ON TABLE public."ERMrest_Client" IS 'Clients (users) that have acted on this catalog.';
COMMENT ON COLUMN public."ERMrest_Client"."ID" IS 'Client id as recorded in RCB and RMB.';
COMMENT ON COLUMN public."ERMrest_Client"."Display_Name" IS 'Short name for display.';
COMMENT ON COLUMN public."ERMrest_Client"."Full_Name" IS 'Full name of the client.';
COMMENT ON COLUMN public."ERMrest_Client"."Email" IS 'E-mail address of the client.';
COMMENT ON COLUMN public."ERMrest_Client"."Client_Object" IS 'The identity provider''s description of the client.';

CREATE TABLE public."ERMrest_Group" (
    LIKE _ermrest.system_columns INCLUDING DEFAULTS INCLUDING COMMENTS,
    "ID"           text NOT NULL UNIQUE,
    "URL"          text,
    "Display_Name" text,
    "Description"  text
);
SELECT _ermrest.register_table('public', 'ERMrest_Group');
COMMENT ON TABLE public."ERMrest_Group" IS 'Groups of clients named in access-control lists.';
COMMENT ON COLUMN public."ERMrest_Group"."ID" IS 'Group id as used in ACLs.';
COMMENT ON COLUMN public."ERMrest_Group"."URL" IS 'Where the group is managed.';
COMMENT ON COLUMN public."ERMrest_Group"."Display_Name" IS 'Short name for display.';
COMMENT ON COLUMN public."ERMrest_Group"."Description" IS 'What the group is for.';
