-- ERMrest's public."ERMrest_RID_Lease": a client pre-allocates RIDs by inserting rows here (their
-- RIDs come from the catalog-wide sequence, like every row's), names things with them, then claims
-- them with POST /entity/S:T?nondefaults=RID; the claim removes the lease in the same transaction.
-- As in ERMrest: anyone who may insert may lease; a lessee alone sees, changes and deletes its
-- leases (the binding on RCB); the ID is an optional key of the lessee's own.
CREATE TABLE public."ERMrest_RID_Lease" (
    LIKE _ermrest.system_columns INCLUDING DEFAULTS INCLUDING COMMENTS,
    "ID" text,
    CONSTRAINT "ERMrest_RID_Lease_RCB_ID_key" UNIQUE ("RCB", "ID")
);
SELECT _ermrest.register_table('public', 'ERMrest_RID_Lease'), _ermrest.refresh_rid_templates('public', 'ERMrest_RID_Lease');
COMMENT ON TABLE public."ERMrest_RID_Lease" IS 'RIDs leased by clients, to be claimed with ?nondefaults=RID (ERMrest''s RID lease table).';
COMMENT ON COLUMN public."ERMrest_RID_Lease"."ID" IS 'An optional correlation key of the lessee''s own.';

INSERT INTO _ermrest.acl (schema_name, table_name, kind, name, value) VALUES
    ('public', 'ERMrest_RID_Lease', 'acl', 'select', '[]'),
    ('public', 'ERMrest_RID_Lease', 'acl', 'update', '[]'),
    ('public', 'ERMrest_RID_Lease', 'acl', 'delete', '[]'),
    ('public', 'ERMrest_RID_Lease', 'acl', 'enumerate', '["*"]'),
    ('public', 'ERMrest_RID_Lease', 'binding', 'lessee_access',
     '{"types": ["select", "update", "delete"], "projection": ["RCB"], "projection_type": "acl", "scope_acl": ["*"]}');
