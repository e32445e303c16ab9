-- ERMrest's static ACLs and dynamic ACL bindings of the catalog, schemas, tables, columns and
-- foreign keys, keyed by the names of what they govern like _ermrest.annotation (renames and drops
-- update both). An absent row means "not set here": the element inherits.
CREATE TABLE _ermrest.acl (
    schema_name     text  NOT NULL DEFAULT '',
    table_name      text  NOT NULL DEFAULT '',
    column_name     text  NOT NULL DEFAULT '',
    constraint_name text  NOT NULL DEFAULT '',
    kind            text  NOT NULL CHECK (kind IN ('acl', 'binding')),
    name            text  NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    value           jsonb NOT NULL,
    PRIMARY KEY (schema_name, table_name, column_name, constraint_name, kind, name)
);
COMMENT ON TABLE _ermrest.acl IS 'ERMrest ACLs (kind acl: name is the access mode, value the list of roles) and ACL bindings (kind binding: name is the binding''s, value its document, or false to suppress an inherited one).';
COMMENT ON COLUMN _ermrest.acl.schema_name IS 'Governed schema, or empty for the catalog.';
COMMENT ON COLUMN _ermrest.acl.table_name IS 'Governed table, or empty.';
COMMENT ON COLUMN _ermrest.acl.column_name IS 'Governed column, or empty.';
COMMENT ON COLUMN _ermrest.acl.constraint_name IS 'Governed foreign key constraint, or empty.';
COMMENT ON COLUMN _ermrest.acl.kind IS 'acl or binding.';
COMMENT ON COLUMN _ermrest.acl.name IS 'Access mode (owner, create, select, insert, update, write, delete, enumerate) or binding name.';
COMMENT ON COLUMN _ermrest.acl.value IS 'Roles (a JSON array of client ids, group attributes or *), or the binding document.';
