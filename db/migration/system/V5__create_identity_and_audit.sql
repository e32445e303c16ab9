-- Identity (users, groups, personal API tokens, login sessions), object-store ACLs and the
-- hash-chained audit log. Client ids are 'user:<username>'; group attributes are 'group:<name>'.

CREATE TABLE cairn.user_group (
    name         text        PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    display_name text        CHECK (display_name IS NULL OR length(display_name) <= 200),
    created_at   timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE cairn.user_group IS 'Groups of users; an ACL names one as group:<name>.';
COMMENT ON COLUMN cairn.user_group.name IS 'Group name, also its id without the group: prefix.';
COMMENT ON COLUMN cairn.user_group.display_name IS 'Human-readable name.';
COMMENT ON COLUMN cairn.user_group.created_at IS 'When the group was created.';

-- Members of this group administer Cairn: users, groups, the audit log, every catalog and namespace.
INSERT INTO cairn.user_group (name, display_name) VALUES ('admin', 'Cairn administrators');

CREATE TABLE cairn.app_user (
    username      text        PRIMARY KEY CHECK (username ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$'),
    password_hash text,
    display_name  text        CHECK (display_name IS NULL OR length(display_name) <= 200),
    email         text        CHECK (email IS NULL OR length(email) <= 320),
    disabled      boolean     NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE cairn.app_user IS 'Users; an ACL names one as user:<username>, which is also the client id recorded in RCB and RMB.';
COMMENT ON COLUMN cairn.app_user.username IS 'Login name; never changes.';
COMMENT ON COLUMN cairn.app_user.password_hash IS 'PBKDF2 hash of the password (Jakarta Security format), or null: the user signs in with tokens only.';
COMMENT ON COLUMN cairn.app_user.display_name IS 'Human-readable name.';
COMMENT ON COLUMN cairn.app_user.email IS 'E-mail address.';
COMMENT ON COLUMN cairn.app_user.disabled IS 'A disabled user cannot log in, and its tokens and sessions stop working.';
COMMENT ON COLUMN cairn.app_user.created_at IS 'When the user was created.';

CREATE TABLE cairn.user_membership (
    username   text NOT NULL REFERENCES cairn.app_user (username) ON DELETE CASCADE,
    group_name text NOT NULL REFERENCES cairn.user_group (name) ON DELETE CASCADE,
    PRIMARY KEY (username, group_name)
);
CREATE INDEX user_membership_group ON cairn.user_membership (group_name);
COMMENT ON TABLE cairn.user_membership IS 'Which user belongs to which group.';
COMMENT ON COLUMN cairn.user_membership.username IS 'The member.';
COMMENT ON COLUMN cairn.user_membership.group_name IS 'The group.';

CREATE TABLE cairn.api_token (
    id             text        PRIMARY KEY CHECK (id ~ '^[0-9a-z]{1,32}$'),
    username       text        NOT NULL REFERENCES cairn.app_user (username) ON DELETE CASCADE,
    name           text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    secret_sha256  bytea       NOT NULL UNIQUE CHECK (length(secret_sha256) = 32),
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL,
    catalogs       text        CHECK (catalogs ~ '^[0-9]+(,[0-9]+)*$'),
    read_only      boolean     NOT NULL DEFAULT false,
    last_used_at   timestamptz,
    revoked_at     timestamptz
);
CREATE INDEX api_token_user ON cairn.api_token (username);
COMMENT ON TABLE cairn.api_token IS 'Personal API tokens (Authorization: Bearer). Only the SHA-256 of a secret is kept; the secret is shown once.';
COMMENT ON COLUMN cairn.api_token.id IS 'Public id, used to list and revoke the token.';
COMMENT ON COLUMN cairn.api_token.username IS 'The user the token acts for.';
COMMENT ON COLUMN cairn.api_token.name IS 'What the owner calls it.';
COMMENT ON COLUMN cairn.api_token.secret_sha256 IS 'SHA-256 of the 256-bit secret.';
COMMENT ON COLUMN cairn.api_token.created_at IS 'When it was made.';
COMMENT ON COLUMN cairn.api_token.expires_at IS 'After this it is refused.';
COMMENT ON COLUMN cairn.api_token.catalogs IS 'Scope: the only catalogs it may reach (ids, comma-separated), or null for all the user may.';
COMMENT ON COLUMN cairn.api_token.read_only IS 'Scope: true when it may only read.';
COMMENT ON COLUMN cairn.api_token.last_used_at IS 'Last time it authenticated a request (to the minute).';
COMMENT ON COLUMN cairn.api_token.revoked_at IS 'When it was revoked; refused from then on.';

CREATE TABLE cairn.login_session (
    secret_sha256 bytea       PRIMARY KEY CHECK (length(secret_sha256) = 32),
    username      text        NOT NULL REFERENCES cairn.app_user (username) ON DELETE CASCADE,
    since         timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL
);
CREATE INDEX login_session_user ON cairn.login_session (username);
COMMENT ON TABLE cairn.login_session IS 'webauthn-style login sessions (the webauthn cookie); only the SHA-256 of the cookie is kept.';
COMMENT ON COLUMN cairn.login_session.secret_sha256 IS 'SHA-256 of the cookie value.';
COMMENT ON COLUMN cairn.login_session.username IS 'The user logged in.';
COMMENT ON COLUMN cairn.login_session.since IS 'When the user logged in.';
COMMENT ON COLUMN cairn.login_session.expires_at IS 'When the session ends unless extended.';

-- Hatrac ACLs: one row per name (or version), access mode and role. Absent rows mean "not set".
CREATE TABLE cairn.store_acl (
    name_id    bigint NOT NULL REFERENCES cairn.store_name (id) ON DELETE CASCADE,
    version_id bigint REFERENCES cairn.store_version (id) ON DELETE CASCADE,
    access     text   NOT NULL CHECK (access IN ('owner', 'create', 'read', 'update', 'subtree-owner',
                                                 'subtree-create', 'subtree-read', 'subtree-update')),
    roles      text[] NOT NULL
);
CREATE UNIQUE INDEX store_acl_key ON cairn.store_acl (name_id, coalesce(version_id, 0), access);
COMMENT ON TABLE cairn.store_acl IS 'Hatrac ACLs of namespaces, objects and versions.';
COMMENT ON COLUMN cairn.store_acl.name_id IS 'The namespace or object.';
COMMENT ON COLUMN cairn.store_acl.version_id IS 'The version, or null for the name itself.';
COMMENT ON COLUMN cairn.store_acl.access IS 'Hatrac access mode.';
COMMENT ON COLUMN cairn.store_acl.roles IS 'Client ids, group:<name> attributes or * for everyone.';

-- The audit log: append-only and hash-chained. Each entry's hash is SHA-256 over the previous
-- entry's hash and its own content (see dev.cairn.security.control.Audit for the exact bytes).
CREATE TABLE cairn.audit (
    seq        bigint      PRIMARY KEY,
    at         timestamptz NOT NULL,
    client     text,
    address    text,
    request_id text        NOT NULL,
    method     text        NOT NULL,
    target     text        NOT NULL,
    outcome    int         NOT NULL,
    snaptime   text,
    prev_hash  bytea       NOT NULL CHECK (length(prev_hash) = 32),
    hash       bytea       NOT NULL CHECK (length(hash) = 32)
);
CREATE INDEX audit_client ON cairn.audit (client, seq);
CREATE INDEX audit_at ON cairn.audit (at);
COMMENT ON TABLE cairn.audit IS 'Every write and every refused request, append-only, each entry chained to the one before by SHA-256.';
COMMENT ON COLUMN cairn.audit.seq IS 'Position in the chain, from 1.';
COMMENT ON COLUMN cairn.audit.at IS 'When the request was answered.';
COMMENT ON COLUMN cairn.audit.client IS 'Client id, null when anonymous.';
COMMENT ON COLUMN cairn.audit.address IS 'Remote address of the request.';
COMMENT ON COLUMN cairn.audit.request_id IS 'Request id, the instance of its problem document when it failed.';
COMMENT ON COLUMN cairn.audit.method IS 'HTTP method.';
COMMENT ON COLUMN cairn.audit.target IS 'Request path and query, as sent.';
COMMENT ON COLUMN cairn.audit.outcome IS 'HTTP status answered.';
COMMENT ON COLUMN cairn.audit.snaptime IS 'For catalog writes, the catalog snaptime after the write.';
COMMENT ON COLUMN cairn.audit.prev_hash IS 'hash of the entry before (32 zero bytes for the first).';
COMMENT ON COLUMN cairn.audit.hash IS 'SHA-256 over prev_hash and this entry''s content.';

CREATE FUNCTION cairn.audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'cairn.audit is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON cairn.audit
    FOR EACH ROW EXECUTE FUNCTION cairn.audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON cairn.audit
    FOR EACH STATEMENT EXECUTE FUNCTION cairn.audit_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON cairn.audit FROM PUBLIC;
