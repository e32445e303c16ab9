-- Commits of execution outputs under way, so that start-up can find and finish those a crash
-- interrupted, and clients can follow a long commit's progress.
CREATE TABLE cairn.output_commit (
    catalog_id    bigint      NOT NULL REFERENCES cairn.catalog (id) ON DELETE CASCADE,
    execution_rid text        NOT NULL,
    state         text        NOT NULL CHECK (state IN ('running', 'failed', 'done')),
    files_total   int         NOT NULL DEFAULT 0,
    files_done    int         NOT NULL DEFAULT 0,
    bytes_total   bigint      NOT NULL DEFAULT 0,
    bytes_done    bigint      NOT NULL DEFAULT 0,
    started_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    error         text,
    keep_files    boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (catalog_id, execution_rid)
);
COMMENT ON TABLE cairn.output_commit IS 'The latest commit of each execution''s staged outputs; running ones are resumed at start-up.';
COMMENT ON COLUMN cairn.output_commit.catalog_id IS 'Catalog of the execution.';
COMMENT ON COLUMN cairn.output_commit.execution_rid IS 'RID of the execution.';
COMMENT ON COLUMN cairn.output_commit.state IS 'running, failed (retry or fix the files) or done.';
COMMENT ON COLUMN cairn.output_commit.files_total IS 'Staged files to commit.';
COMMENT ON COLUMN cairn.output_commit.files_done IS 'Files stored in the object store so far.';
COMMENT ON COLUMN cairn.output_commit.bytes_total IS 'Bytes to commit.';
COMMENT ON COLUMN cairn.output_commit.bytes_done IS 'Bytes stored so far.';
COMMENT ON COLUMN cairn.output_commit.started_at IS 'When the commit (or its latest retry) began.';
COMMENT ON COLUMN cairn.output_commit.finished_at IS 'When it finished or failed.';
COMMENT ON COLUMN cairn.output_commit.error IS 'Why it failed.';
COMMENT ON COLUMN cairn.output_commit.keep_files IS 'True when the working directory is kept after the commit (?clean=false).';
