-- Seed 003's provenance (author, source, citations, DOI) kept with each registered asset, and the
-- kinds of asset the seeds name that V5 and V6 did not have yet. Idempotent, as V4 to V6 are.

ALTER TABLE "deriva-ml"."Registered_Asset" ADD COLUMN IF NOT EXISTS "Provenance" jsonb;
COMMENT ON COLUMN "deriva-ml"."Registered_Asset"."Provenance" IS 'Where the asset comes from (seed 003): author, source, citations, DOI, as the client wrote it.';

INSERT INTO "deriva-ml"."Asset_Kind" ("Name", "Description") VALUES
    ('Log', 'A log of a run or a service (seed 003).'),
    ('Report', 'A report (seed 003).'),
    ('Visualization', 'A plot, chart or other picture made from data (seed 003).'),
    ('Execution_Output', 'An output of a pipeline execution (seed 003).'),
    ('Intermediate', 'A temporary or intermediate result of a pipeline (seed 003).'),
    ('Task', 'A task an asset relates to, such as a benchmark task (seed 003).'),
    ('Array', 'A NumPy array (.npy) or archive of arrays (.npz) (flowyml).')
ON CONFLICT ("Name") DO NOTHING;
