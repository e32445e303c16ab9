-- Grants (POST /api/catalogs/{cid}/grants) are entries in the catalog's and the object store's
-- ACLs; this table only remembers when a grant that was given an expiry is to be taken back.
CREATE TABLE cairn.grant_expiry (
    catalog_id bigint      NOT NULL REFERENCES cairn.catalog (id) ON DELETE CASCADE,
    scope      text        NOT NULL CHECK (length(scope) BETWEEN 1 AND 4096),
    principal  text        NOT NULL CHECK (length(principal) BETWEEN 1 AND 500),
    role       text        NOT NULL CHECK (role IN ('READ', 'READ_WRITE', 'ADMIN')),
    expires_at timestamptz NOT NULL,
    granted_by text,
    granted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (catalog_id, scope, principal)
);
CREATE INDEX grant_expiry_due ON cairn.grant_expiry (expires_at);
COMMENT ON TABLE cairn.grant_expiry IS 'Grants with an expiry: the sweeper removes the principal from the scope''s ACLs when it is due.';
COMMENT ON COLUMN cairn.grant_expiry.catalog_id IS 'The catalog the grant was made through.';
COMMENT ON COLUMN cairn.grant_expiry.scope IS 'catalog, schema:<name>, or a namespace path /hatrac/...';
COMMENT ON COLUMN cairn.grant_expiry.principal IS 'Client id, group:<name> or *.';
COMMENT ON COLUMN cairn.grant_expiry.role IS 'READ, READ_WRITE or ADMIN.';
COMMENT ON COLUMN cairn.grant_expiry.expires_at IS 'When the grant is taken back.';
COMMENT ON COLUMN cairn.grant_expiry.granted_by IS 'Client that made the grant.';
COMMENT ON COLUMN cairn.grant_expiry.granted_at IS 'When the grant was made.';
