-- Hatrac's rename_from: a renamed version stays under its old name as a forward to the version of
-- the same id under the new name. It is served while that version exists (409 after), listed, and
-- can be deleted like any other; its bytes are the new version's.
ALTER TABLE cairn.store_version ADD COLUMN renamed_to bigint REFERENCES cairn.store_name (id);
COMMENT ON COLUMN cairn.store_version.renamed_to IS 'When set, this version was renamed: it forwards to the version of the same id of this object.';
