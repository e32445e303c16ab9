-- What Cairn read from a blob's bytes (statistics, model headers, media properties), once per
-- blob: content-addressed like the blobs, so identical bytes are read once whatever names them.
CREATE TABLE cairn.blob_info (
    sha256       text PRIMARY KEY,
    info         jsonb NOT NULL,
    inspected_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE cairn.blob_info IS 'What inspection found in each blob (dev.cairn.inspect), keyed by SHA-256.';
