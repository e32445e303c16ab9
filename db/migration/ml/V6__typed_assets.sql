-- Typed assets (seeds 002, 003 and 004): more kinds, input/output specifications and the schema
-- an asset was validated against, numeric metrics as rows (queryable and comparable across
-- versions), and encrypted secrets (database connection strings). Idempotent, as V4 and V5 are.

CREATE FUNCTION pg_temp.register_once(t text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = t || '_RIDkey1'
                   AND conrelid = format('"deriva-ml".%I', t)::regclass) THEN
        PERFORM _ermrest.register_table('deriva-ml', t);
    END IF;
END
$$;

-- 1. Kinds from Pangolin (seed 002) and flowyml (seed 004).
INSERT INTO "deriva-ml"."Asset_Kind" ("Name", "Description") VALUES
    ('FeatureSet', 'Engineered features (flowyml).'),
    ('Video', 'A video file.'),
    ('Audio', 'An audio file.'),
    ('CSV', 'A CSV file (Pangolin).'),
    ('JSON', 'A JSON file (Pangolin).'),
    ('Parquet', 'A Parquet file (Pangolin).'),
    ('Lance', 'A Lance dataset: a directory of files (Pangolin).'),
    ('Vortex', 'A Vortex dataset: a directory of files (Pangolin).'),
    ('Directory', 'A directory of files.'),
    ('Database_Connection', 'A connection to a database; its connection string is kept encrypted.'),
    ('Custom', 'A kind of asset of the client''s own.')
ON CONFLICT ("Name") DO NOTHING;

-- 2. Specifications and the validating schema.
ALTER TABLE "deriva-ml"."Registered_Asset" ADD COLUMN IF NOT EXISTS "Specs" jsonb;
ALTER TABLE "deriva-ml"."Registered_Asset" ADD COLUMN IF NOT EXISTS "Declarative_Schema" text;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'Registered_Asset_Declarative_Schema_fkey') THEN
        ALTER TABLE "deriva-ml"."Registered_Asset" ADD CONSTRAINT "Registered_Asset_Declarative_Schema_fkey"
            FOREIGN KEY ("Declarative_Schema") REFERENCES "deriva-ml"."Registered_Asset" ("RID");
    END IF;
END
$$;
COMMENT ON COLUMN "deriva-ml"."Registered_Asset"."Specs" IS 'Input/output specifications (seed 003''s InputOutputSpecs): a list of {role, modality, semantic, ...}.';
COMMENT ON COLUMN "deriva-ml"."Registered_Asset"."Declarative_Schema" IS 'The registered JSON Schema (or YAML schema) the asset was validated against when it was registered.';

-- What names a version, and what it was validated against, never change: V5's one rule, widened.
CREATE OR REPLACE FUNCTION "_deriva_ml".registered_asset_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW."URL", NEW."Length", NEW."MD5", NEW."Namespace", NEW."Name", NEW."Version", NEW."Tag", NEW."Specs", NEW."Declarative_Schema")
       IS DISTINCT FROM (OLD."URL", OLD."Length", OLD."MD5", OLD."Namespace", OLD."Name", OLD."Version", OLD."Tag", OLD."Specs",
                         OLD."Declarative_Schema") THEN
        RAISE EXCEPTION 'A registered asset version is immutable: URL, Length, MD5, Namespace, Name, Version, Tag, Specs and Declarative_Schema cannot change; register a new version.'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;

-- 3. Metrics: one row per asset and name, so they can be filtered, sorted and compared.
CREATE TABLE IF NOT EXISTS "deriva-ml"."Registered_Asset_Metric" (
    LIKE _ermrest.system_columns INCLUDING DEFAULTS INCLUDING COMMENTS,
    "Asset" text NOT NULL,
    "Name"  text NOT NULL CHECK ("Name" ~ '^[A-Za-z_][A-Za-z0-9_.@/-]{0,127}$'),
    "Value" float8 NOT NULL,
    CONSTRAINT "Registered_Asset_Metric_Asset_Name_key" UNIQUE ("Asset", "Name"),
    CONSTRAINT "Registered_Asset_Metric_Asset_fkey" FOREIGN KEY ("Asset") REFERENCES "deriva-ml"."Registered_Asset" ("RID")
);
SELECT pg_temp.register_once('Registered_Asset_Metric');
COMMENT ON TABLE "deriva-ml"."Registered_Asset_Metric" IS 'Numeric metrics of registered assets (accuracy, f1, loss...).';
COMMENT ON COLUMN "deriva-ml"."Registered_Asset_Metric"."Asset" IS 'The registered asset.';
COMMENT ON COLUMN "deriva-ml"."Registered_Asset_Metric"."Name" IS 'The metric''s name.';
COMMENT ON COLUMN "deriva-ml"."Registered_Asset_Metric"."Value" IS 'The metric''s value.';
CREATE INDEX IF NOT EXISTS "Registered_Asset_Metric_Name_idx" ON "deriva-ml"."Registered_Asset_Metric" ("Name", "Value");

-- 4. Secrets: AES-GCM ciphertext under a key from the server's environment; never in ERMrest.
CREATE TABLE IF NOT EXISTS "_deriva_ml".asset_secret (
    asset      text PRIMARY KEY REFERENCES "deriva-ml"."Registered_Asset" ("RID") ON DELETE CASCADE,
    key_id     text NOT NULL,
    nonce      bytea NOT NULL,
    ciphertext bytea NOT NULL
);
COMMENT ON TABLE "_deriva_ml".asset_secret IS 'Encrypted secrets of registered assets (database connection strings).';

-- 5. Free-text search (Pangolin's search): the words of an asset's name, tags, description,
-- metadata values and namespace, weighted A (name, tags) to D (namespace), indexed. IMMUTABLE so an
-- index can hold it: with a fixed text search configuration, each part depends on its arguments only
-- (array_to_string is declared STABLE for arrays of any type; over text[] it is immutable).
CREATE OR REPLACE FUNCTION "_deriva_ml".search_document(name text, tags text[], description text, metadata jsonb, namespace text)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('english'::regconfig, replace(coalesce(name, ''), '_', ' ')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(array_to_string(tags, ' '), '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'B')
        || setweight(jsonb_to_tsvector('english'::regconfig, coalesce(metadata, '{}'), '["string", "key"]'), 'C')
        || setweight(to_tsvector('english'::regconfig, replace(coalesce(namespace, ''), '/', ' ')), 'D')
$$;
CREATE INDEX IF NOT EXISTS "Registered_Asset_search_idx" ON "deriva-ml"."Registered_Asset" USING gin
    ("_deriva_ml".search_document("Name", "Tags", "Description", "Metadata", "Namespace"));
