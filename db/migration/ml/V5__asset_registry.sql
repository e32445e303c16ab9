-- The asset registry: named, versioned assets with tags, free metadata, aliases, relationships
-- and annotations (seed 001's Assets DB, the core the typed-assets API builds on). A registered
-- asset is an asset table row like any other (URL, Filename, Length, MD5, its Asset_Type terms,
-- its executions), so lineage, snapshots, ERMrest and the web catalog see it. Idempotent, as V4
-- is: a catalog converted from the layout before the ML history had its own may hold these already.

CREATE FUNCTION pg_temp.register_once(t text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = t || '_RIDkey1'
                   AND conrelid = format('"deriva-ml".%I', t)::regclass) THEN
        PERFORM _ermrest.register_table('deriva-ml', t);
    END IF;
END
$$;

-- 1. Kinds of registered assets.
CREATE TABLE IF NOT EXISTS "deriva-ml"."Asset_Kind" (
    LIKE _ermrest.system_columns INCLUDING DEFAULTS INCLUDING COMMENTS,
    "ID"          public.ermrest_curie NOT NULL DEFAULT 'deriva-ml:{RID}',
    "URI"         public.ermrest_uri   NOT NULL DEFAULT '/id/{RID}',
    "Name"        text                 NOT NULL,
    "Description" public.markdown      NOT NULL,
    "Synonyms"    text[],
    CONSTRAINT "Asset_Kind_IDkey1" UNIQUE ("ID"),
    CONSTRAINT "Asset_Kind_URIkey1" UNIQUE ("URI"),
    CONSTRAINT "Asset_Kind_Namekey1" UNIQUE ("Name")
);
SELECT pg_temp.register_once('Asset_Kind');
DROP TRIGGER IF EXISTS ermrest_rid_templates ON "deriva-ml"."Asset_Kind";
CREATE TRIGGER ermrest_rid_templates BEFORE INSERT ON "deriva-ml"."Asset_Kind"
    FOR EACH ROW EXECUTE FUNCTION _ermrest.fill_rid_templates('ID', 'URI');
COMMENT ON TABLE "deriva-ml"."Asset_Kind" IS 'Kinds of registered assets: Model, Dataset, Metrics, Config and others.';
COMMENT ON COLUMN "deriva-ml"."Asset_Kind"."ID" IS 'Compact URI (CURIE) of the term.';
COMMENT ON COLUMN "deriva-ml"."Asset_Kind"."URI" IS 'URI of the term.';
COMMENT ON COLUMN "deriva-ml"."Asset_Kind"."Name" IS 'Name of the term, unique in the vocabulary.';
COMMENT ON COLUMN "deriva-ml"."Asset_Kind"."Description" IS 'What the term means.';
COMMENT ON COLUMN "deriva-ml"."Asset_Kind"."Synonyms" IS 'Other names by which the term can be looked up.';
INSERT INTO "deriva-ml"."Asset_Kind" ("Name", "Description") VALUES
    ('Model', 'A trained model: weights, a serialized estimator or an exported graph.'),
    ('Dataset', 'Data used to train, validate or test: tables, arrays, archives.'),
    ('Metrics', 'Measurements of a model or run.'),
    ('Config', 'A configuration: parameters, policies, environment descriptions.'),
    ('Image', 'An image file.'),
    ('Document', 'A document, report or notebook.'),
    ('File', 'Any other file.')
ON CONFLICT ("Name") DO NOTHING;

-- 2. Semver-aware ordering of versions. A version that parses as semver (an optional v, dotted
-- numbers, an optional -prerelease and +build) sorts by semver precedence, with missing numeric
-- components as 0; any other string sorts below every semver version, by its characters. The
-- key is text compared in the C collation; dev.cairn.registry.control.VersionOrder computes the
-- same key.
CREATE OR REPLACE FUNCTION "_deriva_ml".version_key(version text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    m text[];
    core text[];
    key text := '1';
    part text;
    i int;
BEGIN
    m := regexp_match(version, '^v?([0-9]+(?:\.[0-9]+)*)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$');
    IF m IS NULL THEN
        RETURN '0' || version;
    END IF;
    core := string_to_array(m[1], '.');
    WHILE cardinality(core) < 3 LOOP
        core := core || '0'::text;
    END LOOP;
    FOR i IN 1 .. cardinality(core) LOOP
        part := coalesce(nullif(ltrim(core[i], '0'), ''), '0');
        key := key || CASE WHEN i > 1 THEN '.' ELSE '' END || lpad(length(part)::text, 3, '0') || part;
    END LOOP;
    IF m[2] IS NULL THEN
        key := key || '#';
    ELSE
        key := key || '!';
        i := 0;
        FOREACH part IN ARRAY string_to_array(m[2], '.') LOOP
            key := key || CASE WHEN i > 0 THEN '.' ELSE '' END || CASE
                WHEN part ~ '^[0-9]+$' THEN '0' || lpad(length(coalesce(nullif(ltrim(part, '0'), ''), '0'))::text, 3, '0')
                                                || coalesce(nullif(ltrim(part, '0'), ''), '0')
                ELSE '1' || part END;
            i := i + 1;
        END LOOP;
        key := key || '#';
    END IF;
    RETURN key || coalesce('+' || m[3], '');
END
$$;
COMMENT ON FUNCTION "_deriva_ml".version_key(text) IS 'Sort key of a registered asset version: semver precedence where it parses, else below every semver version.';

-- 3. Registered assets.
CREATE TABLE IF NOT EXISTS "deriva-ml"."Registered_Asset" (
    LIKE _ermrest.system_columns INCLUDING DEFAULTS INCLUDING COMMENTS,
    "URL"         text,
    "Filename"    text,
    "Description" public.markdown,
    "Length"      int8 CHECK ("Length" >= 0),
    "MD5"         text CHECK ("MD5" ~ '^[0-9a-f]{32}$'),
    "Namespace"   text NOT NULL DEFAULT '' CHECK ("Namespace" ~ '^([^/[:cntrl:]]+(/[^/[:cntrl:]]+)*)?$' AND length("Namespace") <= 1024),
    "Name"        text NOT NULL CHECK ("Name" ~ '^[^/[:cntrl:]]+$' AND length("Name") <= 512),
    "Version"     text NOT NULL CHECK ("Version" ~ '^[^/[:cntrl:]]+$' AND length("Version") <= 128),
    "Tag"         text NOT NULL DEFAULT '' CHECK ("Tag" ~ '^[^/[:cntrl:]]*$' AND length("Tag") <= 128),
    "Kind"        text,
    "Metadata"    jsonb  NOT NULL DEFAULT '{}' CHECK (jsonb_typeof("Metadata") = 'object'),
    "Tags"        text[] NOT NULL DEFAULT '{}' CHECK (array_position("Tags", NULL) IS NULL),
    "Public_URL"  text,
    "File_Info"   jsonb  NOT NULL DEFAULT '{}' CHECK (jsonb_typeof("File_Info") = 'object'),
    "Deleted"     timestamptz,
    CONSTRAINT "Registered_Asset_Namespace_Name_Version_Tag_key" UNIQUE ("Namespace", "Name", "Version", "Tag"),
    CONSTRAINT "Registered_Asset_Kind_fkey" FOREIGN KEY ("Kind") REFERENCES "deriva-ml"."Asset_Kind" ("Name")
);
SELECT pg_temp.register_once('Registered_Asset');
COMMENT ON TABLE "deriva-ml"."Registered_Asset" IS 'Registered assets: files (or external URLs) found by namespace, name, version and tag, with metadata and tags.';
COMMENT ON COLUMN "deriva-ml"."Registered_Asset"."URL" IS 'Object store URL of the file version, the external URL of an asset registered by URL, or null for an asset without bytes.';
COMMENT ON COLUMN "deriva-ml"."Registered_Asset"."Filename" IS 'Original name of the file.';
COMMENT ON COLUMN "deriva-ml"."Registered_Asset"."Description" IS 'What the asset is.';
COMMENT ON COLUMN "deriva-ml"."Registered_Asset"."Length" IS 'Size of the file in bytes; null for an external asset.';
COMMENT ON COLUMN "deriva-ml"."Registered_Asset"."MD5" IS 'MD5 checksum of the file, lower-case hex; null for an external asset.';
COMMENT ON COLUMN "deriva-ml"."Registered_Asset"."Namespace" IS 'Path the asset is filed under, such as ml_models/production; empty for the root.';
COMMENT ON COLUMN "deriva-ml"."Registered_Asset"."Name" IS 'Name of the asset, shared by its versions.';
COMMENT ON COLUMN "deriva-ml"."Registered_Asset"."Version" IS 'Version of the asset: any string, ordered by semver where it parses as semver.';
COMMENT ON COLUMN "deriva-ml"."Registered_Asset"."Tag" IS 'Tag of the version (seed 001''s asset_version.tag); empty when none.';
COMMENT ON COLUMN "deriva-ml"."Registered_Asset"."Kind" IS 'The Asset_Kind of the asset.';
COMMENT ON COLUMN "deriva-ml"."Registered_Asset"."Metadata" IS 'Free metadata, a JSON object.';
COMMENT ON COLUMN "deriva-ml"."Registered_Asset"."Tags" IS 'Keywords used to search and filter.';
COMMENT ON COLUMN "deriva-ml"."Registered_Asset"."Public_URL" IS 'URL from which the bytes can be downloaded.';
COMMENT ON COLUMN "deriva-ml"."Registered_Asset"."File_Info" IS 'What is known of the file: size, format, checksums.';
COMMENT ON COLUMN "deriva-ml"."Registered_Asset"."Deleted" IS 'When the asset was deleted while executions referred to it: a tombstone kept for lineage.';
INSERT INTO _ermrest.annotation (schema_name, table_name, column_name, uri, value)
VALUES ('deriva-ml', 'Registered_Asset', 'URL', 'tag:isrd.isi.edu,2017:asset', jsonb_build_object(
        'url_pattern', '/hatrac/{{$catalog.id}}/deriva-ml/Registered_Asset/{{{MD5}}}.{{#encode}}{{{Filename}}}{{/encode}}',
        'filename_column', 'Filename', 'byte_count_column', 'Length', 'md5', 'MD5'))
ON CONFLICT DO NOTHING;

CREATE INDEX IF NOT EXISTS "Registered_Asset_Metadata_idx" ON "deriva-ml"."Registered_Asset" USING gin ("Metadata" jsonb_path_ops);
CREATE INDEX IF NOT EXISTS "Registered_Asset_File_Info_idx" ON "deriva-ml"."Registered_Asset" USING gin ("File_Info" jsonb_path_ops);
CREATE INDEX IF NOT EXISTS "Registered_Asset_Tags_idx" ON "deriva-ml"."Registered_Asset" USING gin ("Tags");
CREATE INDEX IF NOT EXISTS "Registered_Asset_Name_idx" ON "deriva-ml"."Registered_Asset" ("Name");
CREATE INDEX IF NOT EXISTS "Registered_Asset_version_order_idx" ON "deriva-ml"."Registered_Asset"
    ("Namespace", "Name", "_deriva_ml".version_key("Version") COLLATE "C");

-- The bytes of a version, and what names it, never change.
CREATE OR REPLACE FUNCTION "_deriva_ml".registered_asset_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW."URL", NEW."Length", NEW."MD5", NEW."Namespace", NEW."Name", NEW."Version", NEW."Tag")
       IS DISTINCT FROM (OLD."URL", OLD."Length", OLD."MD5", OLD."Namespace", OLD."Name", OLD."Version", OLD."Tag") THEN
        RAISE EXCEPTION 'A registered asset version is immutable: URL, Length, MD5, Namespace, Name, Version and Tag cannot change; register a new version.'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
DROP TRIGGER IF EXISTS registered_asset_immutable ON "deriva-ml"."Registered_Asset";
CREATE TRIGGER registered_asset_immutable BEFORE UPDATE ON "deriva-ml"."Registered_Asset"
    FOR EACH ROW EXECUTE FUNCTION "_deriva_ml".registered_asset_immutable();

-- Its types and executions, as for every asset table.
CREATE TABLE IF NOT EXISTS "deriva-ml"."Registered_Asset_Asset_Type" (
    LIKE _ermrest.system_columns INCLUDING DEFAULTS INCLUDING COMMENTS,
    "Registered_Asset" text NOT NULL,
    "Asset_Type"       text NOT NULL,
    CONSTRAINT "Registered_Asset_Asset_Type_Registered_Asset_Asset_Type_key" UNIQUE ("Registered_Asset", "Asset_Type"),
    CONSTRAINT "Registered_Asset_Asset_Type_Registered_Asset_fkey" FOREIGN KEY ("Registered_Asset") REFERENCES "deriva-ml"."Registered_Asset" ("RID"),
    CONSTRAINT "Registered_Asset_Asset_Type_Asset_Type_fkey" FOREIGN KEY ("Asset_Type") REFERENCES "deriva-ml"."Asset_Type" ("Name")
);
CREATE TABLE IF NOT EXISTS "deriva-ml"."Registered_Asset_Execution" (
    LIKE _ermrest.system_columns INCLUDING DEFAULTS INCLUDING COMMENTS,
    "Registered_Asset" text NOT NULL,
    "Execution"        text NOT NULL,
    "Asset_Role"       text NOT NULL,
    CONSTRAINT "Registered_Asset_Execution_Registered_Asset_Execution_key" UNIQUE ("Registered_Asset", "Execution"),
    CONSTRAINT "Registered_Asset_Execution_Registered_Asset_fkey" FOREIGN KEY ("Registered_Asset") REFERENCES "deriva-ml"."Registered_Asset" ("RID"),
    CONSTRAINT "Registered_Asset_Execution_Execution_fkey" FOREIGN KEY ("Execution") REFERENCES "deriva-ml"."Execution" ("RID"),
    CONSTRAINT "Registered_Asset_Execution_Asset_Role_fkey" FOREIGN KEY ("Asset_Role") REFERENCES "deriva-ml"."Asset_Role" ("Name")
);
-- Relationships between assets: "Asset <Relationship> Related_Asset", e.g. a model derived_from a dataset.
CREATE TABLE IF NOT EXISTS "deriva-ml"."Registered_Asset_Relationship" (
    LIKE _ermrest.system_columns INCLUDING DEFAULTS INCLUDING COMMENTS,
    "Asset"         text NOT NULL,
    "Related_Asset" text NOT NULL,
    "Relationship"  text NOT NULL CHECK ("Relationship" ~ '^[A-Za-z][A-Za-z0-9_.-]{0,63}$'),
    CONSTRAINT "Registered_Asset_Relationship_Asset_Related_key" UNIQUE ("Asset", "Related_Asset", "Relationship"),
    CONSTRAINT "Registered_Asset_Relationship_Asset_fkey" FOREIGN KEY ("Asset") REFERENCES "deriva-ml"."Registered_Asset" ("RID"),
    CONSTRAINT "Registered_Asset_Relationship_Related_Asset_fkey" FOREIGN KEY ("Related_Asset") REFERENCES "deriva-ml"."Registered_Asset" ("RID"),
    CONSTRAINT "Registered_Asset_Relationship_not_self" CHECK ("Asset" <> "Related_Asset")
);
SELECT pg_temp.register_once('Registered_Asset_Asset_Type');
SELECT pg_temp.register_once('Registered_Asset_Execution');
SELECT pg_temp.register_once('Registered_Asset_Relationship');
COMMENT ON TABLE "deriva-ml"."Registered_Asset_Asset_Type" IS 'Types of each Registered_Asset file.';
COMMENT ON COLUMN "deriva-ml"."Registered_Asset_Asset_Type"."Registered_Asset" IS 'The Registered_Asset row.';
COMMENT ON COLUMN "deriva-ml"."Registered_Asset_Asset_Type"."Asset_Type" IS 'An Asset_Type term of the file.';
COMMENT ON TABLE "deriva-ml"."Registered_Asset_Execution" IS 'Executions that used (Input) or produced (Output) each Registered_Asset.';
COMMENT ON COLUMN "deriva-ml"."Registered_Asset_Execution"."Registered_Asset" IS 'The Registered_Asset row.';
COMMENT ON COLUMN "deriva-ml"."Registered_Asset_Execution"."Execution" IS 'The execution.';
COMMENT ON COLUMN "deriva-ml"."Registered_Asset_Execution"."Asset_Role" IS 'Input or Output: how the execution related to the file.';
COMMENT ON TABLE "deriva-ml"."Registered_Asset_Relationship" IS 'Relationships between registered assets: the asset derived_from, trained_on or evaluated_on the related asset.';
COMMENT ON COLUMN "deriva-ml"."Registered_Asset_Relationship"."Asset" IS 'The asset the relationship describes.';
COMMENT ON COLUMN "deriva-ml"."Registered_Asset_Relationship"."Related_Asset" IS 'The asset it is related to (upstream in lineage).';
COMMENT ON COLUMN "deriva-ml"."Registered_Asset_Relationship"."Relationship" IS 'derived_from, trained_on, evaluated_on or another name.';
CREATE INDEX IF NOT EXISTS "Registered_Asset_Execution_Execution_idx" ON "deriva-ml"."Registered_Asset_Execution" ("Execution");
CREATE INDEX IF NOT EXISTS "Registered_Asset_Relationship_Related_Asset_idx" ON "deriva-ml"."Registered_Asset_Relationship" ("Related_Asset");

-- 4. Aliases (production, champion) with their whole history, and append-only annotations.
CREATE TABLE IF NOT EXISTS "_deriva_ml".asset_alias (
    namespace text NOT NULL,
    name      text NOT NULL,
    alias     text NOT NULL CHECK (alias ~ '^[A-Za-z][A-Za-z0-9_.-]{0,63}$' AND alias <> 'latest'),
    asset     text NOT NULL REFERENCES "deriva-ml"."Registered_Asset" ("RID"),
    set_by    text,
    set_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (namespace, name, alias)
);
COMMENT ON TABLE "_deriva_ml".asset_alias IS 'Aliases of registered assets: a name for one version of an asset name, moved atomically.';
CREATE TABLE IF NOT EXISTS "_deriva_ml".asset_alias_history (
    id         bigserial PRIMARY KEY,
    namespace  text NOT NULL,
    name       text NOT NULL,
    alias      text NOT NULL,
    from_asset text,
    to_asset   text,
    client     text,
    at         timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX IF NOT EXISTS asset_alias_history_alias_idx ON "_deriva_ml".asset_alias_history (namespace, name, alias, id);
COMMENT ON TABLE "_deriva_ml".asset_alias_history IS 'Every move of an alias: who, when, from which asset to which (null when set first or removed).';

CREATE OR REPLACE FUNCTION "_deriva_ml".asset_alias_moved() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    who text := nullif(current_setting('cairn.client', true), '');
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO "_deriva_ml".asset_alias_history (namespace, name, alias, from_asset, to_asset, client)
        VALUES (OLD.namespace, OLD.name, OLD.alias, OLD.asset, NULL, who);
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.asset = NEW.asset THEN
        RETURN NEW;
    END IF;
    INSERT INTO "_deriva_ml".asset_alias_history (namespace, name, alias, from_asset, to_asset, client)
    VALUES (NEW.namespace, NEW.name, NEW.alias, CASE WHEN TG_OP = 'UPDATE' THEN OLD.asset END, NEW.asset, who);
    RETURN NEW;
END
$$;
DROP TRIGGER IF EXISTS asset_alias_moved ON "_deriva_ml".asset_alias;
CREATE TRIGGER asset_alias_moved AFTER INSERT OR UPDATE OR DELETE ON "_deriva_ml".asset_alias
    FOR EACH ROW EXECUTE FUNCTION "_deriva_ml".asset_alias_moved();

CREATE TABLE IF NOT EXISTS "_deriva_ml".asset_annotation (
    id     bigserial PRIMARY KEY,
    asset  text NOT NULL REFERENCES "deriva-ml"."Registered_Asset" ("RID"),
    note   text NOT NULL CHECK (length(note) BETWEEN 1 AND 65536),
    client text,
    at     timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX IF NOT EXISTS asset_annotation_asset_idx ON "_deriva_ml".asset_annotation (asset, id);
COMMENT ON TABLE "_deriva_ml".asset_annotation IS 'Append-only notes on registered assets, with who wrote them and when.';

-- 5. The catalog's stable id as an Assets DB (seed 001's assets_db_id).
CREATE TABLE IF NOT EXISTS "_deriva_ml".assets_db (
    one          boolean PRIMARY KEY DEFAULT true CHECK (one),
    assets_db_id uuid    NOT NULL DEFAULT gen_random_uuid()
);
INSERT INTO "_deriva_ml".assets_db DEFAULT VALUES ON CONFLICT DO NOTHING;

DROP FUNCTION pg_temp.register_once(text);
COMMENT ON TABLE "_deriva_ml".assets_db IS 'The catalog''s stable id as a seed 001 Assets DB.';

INSERT INTO _ermrest.model_modified VALUES (now()) ON CONFLICT DO NOTHING;
