-- Seed 001's registry of Assets DBs (POST /aios/asset_registry): Cairn catalogs that registered
-- themselves and external AIOS-compatible DBs registered by URL, with their last health check.
CREATE TABLE cairn.assets_db_registry (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name            text        NOT NULL DEFAULT '' CHECK (length(name) <= 1024),
    metadata        jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    tags            text[]      NOT NULL DEFAULT '{}' CHECK (array_position(tags, NULL) IS NULL),
    public_url      text        NOT NULL DEFAULT '' CHECK (length(public_url) <= 4096),
    catalog_id      bigint      REFERENCES cairn.catalog (id) ON DELETE CASCADE,
    created_by      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    last_checked_at timestamptz,
    last_status     text,
    last_latency_ms integer,
    last_healthy_at timestamptz
);
CREATE INDEX assets_db_registry_metadata ON cairn.assets_db_registry USING gin (metadata jsonb_path_ops);
CREATE INDEX assets_db_registry_tags ON cairn.assets_db_registry USING gin (tags);
COMMENT ON TABLE cairn.assets_db_registry IS 'Seed 001''s registry of Assets DBs: Cairn catalogs and external AIOS-compatible DBs.';
COMMENT ON COLUMN cairn.assets_db_registry.id IS 'asset_registry_id; a Cairn catalog registers under its assets_db_id.';
COMMENT ON COLUMN cairn.assets_db_registry.name IS 'asset_registry_name.';
COMMENT ON COLUMN cairn.assets_db_registry.metadata IS 'asset_registry_metadata.';
COMMENT ON COLUMN cairn.assets_db_registry.tags IS 'asset_registry_tags.';
COMMENT ON COLUMN cairn.assets_db_registry.public_url IS 'asset_registry_public_url: the Assets DB''s base URL; its /health is checked.';
COMMENT ON COLUMN cairn.assets_db_registry.catalog_id IS 'The Cairn catalog of this server that registered itself, if any.';
COMMENT ON COLUMN cairn.assets_db_registry.created_by IS 'Client that registered the entry; it and administrators may change it.';
COMMENT ON COLUMN cairn.assets_db_registry.last_checked_at IS 'When /check_health last ran.';
COMMENT ON COLUMN cairn.assets_db_registry.last_status IS 'healthy or unhealthy, from the last check.';
COMMENT ON COLUMN cairn.assets_db_registry.last_latency_ms IS 'Round trip of the last check, in milliseconds.';
COMMENT ON COLUMN cairn.assets_db_registry.last_healthy_at IS 'When the DB last answered its health check with success.';
