-- Datasets as DerivaML has them since its ADR-0003/0004: released versions pinned to a snapshot,
-- one mutable dev version per dataset, executions that record the version they consumed, and the
-- bags of released versions kept once built. Idempotent: a catalog converted from the layout
-- before the ML history had its own may hold these already.

-- 1. The version an execution consumed.
ALTER TABLE "deriva-ml"."Dataset_Execution" ADD COLUMN IF NOT EXISTS "Dataset_Version" text
    CONSTRAINT "Dataset_Execution_Dataset_Version_fkey" REFERENCES "deriva-ml"."Dataset_Version" ("RID");
COMMENT ON COLUMN "deriva-ml"."Dataset_Execution"."Dataset_Version" IS
    'The released Dataset_Version the execution used; null when it read the live (unreleased) state.';

-- 2. A dataset has at most one dev version: the row with no snapshot.
CREATE UNIQUE INDEX IF NOT EXISTS "Dataset_Version_one_dev" ON "deriva-ml"."Dataset_Version" ("Dataset") WHERE "Snapshot" IS NULL;
COMMENT ON COLUMN "deriva-ml"."Dataset_Version"."Snapshot" IS
    'Catalog snaptime the released version reads its members at; null for the dataset''s mutable dev version.';
COMMENT ON COLUMN "deriva-ml"."Dataset_Version"."Version" IS
    'PEP 440 version: MAJOR.MINOR.PATCH when released, <last release>.post1.devN while in development.';

-- 3. Bags of released versions, built once: deterministic, so the same bytes serve every download.
CREATE TABLE IF NOT EXISTS "_deriva_ml".dataset_bag (
    dataset_version text        NOT NULL REFERENCES "deriva-ml"."Dataset_Version" ("RID") ON DELETE CASCADE,
    materialized    boolean     NOT NULL,
    base_url        text        NOT NULL,
    object_name     text        NOT NULL,
    object_version  text        NOT NULL,
    length          int8        NOT NULL CHECK (length >= 0),
    sha256          text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    built_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (dataset_version, materialized, base_url)
);
COMMENT ON TABLE "_deriva_ml".dataset_bag IS 'Bags of released dataset versions, kept in the object store once built.';
COMMENT ON COLUMN "_deriva_ml".dataset_bag.dataset_version IS 'RID of the released Dataset_Version.';
COMMENT ON COLUMN "_deriva_ml".dataset_bag.materialized IS 'True when the bag holds the asset files, false when it lists them in fetch.txt.';
COMMENT ON COLUMN "_deriva_ml".dataset_bag.base_url IS 'The server address its fetch.txt and identifier are absolute against.';
COMMENT ON COLUMN "_deriva_ml".dataset_bag.object_name IS 'Object-store name of the bag.';
COMMENT ON COLUMN "_deriva_ml".dataset_bag.object_version IS 'Object-store version of the bag.';
COMMENT ON COLUMN "_deriva_ml".dataset_bag.length IS 'Size of the zip in bytes.';
COMMENT ON COLUMN "_deriva_ml".dataset_bag.sha256 IS 'SHA-256 of the zip, lower-case hex.';
COMMENT ON COLUMN "_deriva_ml".dataset_bag.built_at IS 'When the bag was built.';

-- Members are found from the dataset side of every Dataset_{Table} association.
CREATE INDEX IF NOT EXISTS "Dataset_Dataset_Nested_Dataset_idx" ON "deriva-ml"."Dataset_Dataset" ("Nested_Dataset");

INSERT INTO _ermrest.model_modified VALUES (now()) ON CONFLICT DO NOTHING;
