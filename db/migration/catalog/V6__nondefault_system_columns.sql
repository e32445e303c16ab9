-- ERMrest's ?nondefaults=RID,RCT,RCB: a client copying rows between catalogs may keep their
-- creation time and creator. The write path names such columns in the transaction setting
-- cairn.nondefaults (',RCT,RCB,'); RMT and RMB always record this write.
CREATE OR REPLACE FUNCTION _ermrest.maintain_row() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    given text := coalesce(current_setting('cairn.nondefaults', true), '');
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW."RCT" IS NULL OR position(',RCT,' IN given) = 0 THEN
            NEW."RCT" := now();
        END IF;
        IF position(',RCB,' IN given) = 0 THEN
            NEW."RCB" := _ermrest.current_client();
        END IF;
    ELSE
        NEW."RID" := OLD."RID";
        NEW."RCT" := OLD."RCT";
        NEW."RCB" := OLD."RCB";
    END IF;
    NEW."RMT" := now();
    NEW."RMB" := _ermrest.current_client();
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION _ermrest.maintain_row() IS 'Row trigger: sets RCT/RCB on insert (unless given with ?nondefaults=), RMT/RMB on every write, keeps RID, RCT and RCB on update.';
