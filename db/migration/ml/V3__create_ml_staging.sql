-- 1. DerivaML's execution working state, hidden from the ERMrest model (schemas starting with '_'
--    are not shown): the files staged for an execution's outputs, until a commit makes them assets.
--    Flyway creates the schema, where it also keeps this location's history.
COMMENT ON SCHEMA "_deriva_ml" IS 'Working state of DerivaML executions; not part of the ERMrest model.';

CREATE TABLE "_deriva_ml".staged_output (
    execution    text        NOT NULL REFERENCES "deriva-ml"."Execution" ("RID") ON DELETE CASCADE,
    asset_schema text        NOT NULL,
    asset_table  text        NOT NULL,
    filename     text        NOT NULL,
    file_id      text        NOT NULL UNIQUE,
    length       int8        NOT NULL CHECK (length >= 0),
    md5          text        NOT NULL CHECK (md5 ~ '^[0-9a-f]{32}$'),
    sha256       text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    types        text[]      NOT NULL DEFAULT '{}',
    description  text,
    staged_at    timestamptz NOT NULL DEFAULT now(),
    url          text,
    asset_rid    text,
    PRIMARY KEY (execution, asset_schema, asset_table, filename)
);
COMMENT ON TABLE "_deriva_ml".staged_output IS 'Files staged in an execution''s working directory, waiting to be committed as assets.';
COMMENT ON COLUMN "_deriva_ml".staged_output.execution IS 'RID of the execution whose output the file is.';
COMMENT ON COLUMN "_deriva_ml".staged_output.asset_schema IS 'Schema of the asset table the file goes to.';
COMMENT ON COLUMN "_deriva_ml".staged_output.asset_table IS 'Asset table the file goes to.';
COMMENT ON COLUMN "_deriva_ml".staged_output.filename IS 'Name of the file, unique per execution and asset table.';
COMMENT ON COLUMN "_deriva_ml".staged_output.file_id IS 'Name of the bytes in the working directory (never user input).';
COMMENT ON COLUMN "_deriva_ml".staged_output.length IS 'Size in bytes.';
COMMENT ON COLUMN "_deriva_ml".staged_output.md5 IS 'MD5 of the bytes, lower-case hex, computed while staging.';
COMMENT ON COLUMN "_deriva_ml".staged_output.sha256 IS 'SHA-256 of the bytes, lower-case hex, computed while staging.';
COMMENT ON COLUMN "_deriva_ml".staged_output.types IS 'Asset_Type terms to give the asset (Output_File is added at commit).';
COMMENT ON COLUMN "_deriva_ml".staged_output.description IS 'Description to give the asset.';
COMMENT ON COLUMN "_deriva_ml".staged_output.staged_at IS 'When the file was (last) staged.';
COMMENT ON COLUMN "_deriva_ml".staged_output.url IS 'Object-store URL of the committed version, set by the commit.';
COMMENT ON COLUMN "_deriva_ml".staged_output.asset_rid IS 'RID of the asset row once committed; rows stay only when the working directory is kept.';

CREATE TABLE "_deriva_ml".execution_clock (
    execution       text        PRIMARY KEY REFERENCES "deriva-ml"."Execution" ("RID") ON DELETE CASCADE,
    running_since   timestamptz,
    upload_started  timestamptz
);
COMMENT ON TABLE "_deriva_ml".execution_clock IS 'When an execution started running and started committing, to compute its durations.';
COMMENT ON COLUMN "_deriva_ml".execution_clock.execution IS 'RID of the execution.';
COMMENT ON COLUMN "_deriva_ml".execution_clock.running_since IS 'When the execution last entered Running.';
COMMENT ON COLUMN "_deriva_ml".execution_clock.upload_started IS 'When the current or last commit of its outputs began.';

-- 2. Lineage walks from executions to what they used and made: index the execution side of the
--    built-in associations (their keys index the other side).
CREATE INDEX "Execution_Asset_Execution_Execution_idx" ON "deriva-ml"."Execution_Asset_Execution" ("Execution");
CREATE INDEX "Execution_Metadata_Execution_Execution_idx" ON "deriva-ml"."Execution_Metadata_Execution" ("Execution");
CREATE INDEX "Dataset_Execution_Execution_idx" ON "deriva-ml"."Dataset_Execution" ("Execution");
CREATE INDEX "Dataset_Version_Execution_idx" ON "deriva-ml"."Dataset_Version" ("Execution");

-- The model changed: snapshots from now on record it.
INSERT INTO _ermrest.model_modified VALUES (now()) ON CONFLICT DO NOTHING;
