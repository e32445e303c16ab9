-- A table page's selection (facets, search, sort, columns) too long for a shareable URL, kept
-- under a short content-derived id (dev.cairn.web): the same selection always gets the same id,
-- so a shared link never breaks and saving twice stores nothing new.
CREATE TABLE cairn.saved_selection (
    id         text PRIMARY KEY,
    catalog_id bigint NOT NULL,
    table_name text NOT NULL,
    query      text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE cairn.saved_selection IS 'Web catalog selections by id (dev.cairn.web.control.Selections).';
