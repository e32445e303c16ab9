-- ERMrest's history truncation (DELETE /ermrest/catalog/N/history/,until): each truncation is
-- recorded, so that GET /history/ reports an amendment version ("amendver") for the ranges it
-- touched, and so that a read at a snapshot older than the retained history is refused rather
-- than answered from what is left of it.
CREATE TABLE _ermrest.catalog_amended (
    ts     timestamptz PRIMARY KEY,
    during tstzrange   NOT NULL
);
COMMENT ON TABLE _ermrest.catalog_amended IS 'Administrative changes to the history: when, and the span of snapshots they changed.';
COMMENT ON COLUMN _ermrest.catalog_amended.ts IS 'Transaction time of the amendment (its amendver).';
COMMENT ON COLUMN _ermrest.catalog_amended.during IS 'The snapshots it changed; a truncation discards [-infinity, until).';
