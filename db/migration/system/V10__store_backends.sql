-- Upload jobs and their chunks on any blob-store backend (an S3 multipart upload has an id, each part an ETag),
-- and output commits that another node can take over.
ALTER TABLE cairn.store_upload_job ADD COLUMN backend_token text NOT NULL DEFAULT '';
COMMENT ON COLUMN cairn.store_upload_job.backend_token IS 'What the blob store needs to find the job''s chunks again (an S3 multipart upload id); empty when nothing.';
ALTER TABLE cairn.store_upload_chunk ADD COLUMN tag text NOT NULL DEFAULT '';
COMMENT ON COLUMN cairn.store_upload_chunk.tag IS 'What the blob store answered for the chunk (an S3 part''s ETag), needed to assemble the job.';
-- A job whose chunks were assembled and checked keeps that, with the digests: finishing it again (after a failed
-- commit, or on another node) commits the assembled content without its chunks, which are spent.
ALTER TABLE cairn.store_upload_job ADD COLUMN assembled_md5 text;
ALTER TABLE cairn.store_upload_job ADD COLUMN assembled_sha256 text;
ALTER TABLE cairn.store_upload_job ADD CONSTRAINT store_upload_job_assembled CHECK ((assembled_md5 IS NULL) = (assembled_sha256 IS NULL));
COMMENT ON COLUMN cairn.store_upload_job.assembled_md5 IS 'MD5 (hex) of the assembled content, once the chunks were assembled and checked; NULL before.';
COMMENT ON COLUMN cairn.store_upload_job.assembled_sha256 IS 'SHA-256 (hex) of the assembled content, once assembled.';
