-- +goose Up
-- Tenants: one consultancy each. Slugs are unique in the installation.
CREATE TABLE tenants (
    id                      TEXT PRIMARY KEY,
    slug                    TEXT NOT NULL UNIQUE,
    name                    TEXT NOT NULL,
    plan                    TEXT NOT NULL DEFAULT 'trial',
    license                 TEXT,
    branding                TEXT NOT NULL DEFAULT '{}',
    staff_passwords_enabled INTEGER NOT NULL DEFAULT 1 CHECK (staff_passwords_enabled IN (0, 1)),
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL
);

-- Users are global people; what they may do is their membership. The email
-- is stored lower-cased and never edited.
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE CHECK (email = lower(email)),
    name          TEXT NOT NULL,
    password_hash TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- Accounts: one per client, unique slug within its tenant only.
CREATE TABLE accounts (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    slug       TEXT NOT NULL,
    name       TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deactivated')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (tenant_id, slug),
    UNIQUE (tenant_id, id)
);

-- One membership per person per tenant, either staff (no account) or
-- account-level (one account of the same tenant) — never both: the UNIQUE
-- key makes that hold under concurrent writers (SPEC §2).
CREATE TABLE memberships (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    account_id TEXT,
    role       TEXT NOT NULL CHECK (role IN ('tenant_admin', 'consultant', 'account_admin', 'account_user', 'client')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (tenant_id, user_id),
    FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id) ON DELETE CASCADE,
    CHECK ((account_id IS NULL) = (role IN ('tenant_admin', 'consultant')))
);
CREATE INDEX memberships_user ON memberships (user_id);
CREATE INDEX memberships_account ON memberships (account_id);

-- Sessions keep only the SHA-256 of the cookie's token (SES-01).
CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tenant_id    TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    auth_method  TEXT NOT NULL CHECK (auth_method IN ('password', 'oidc')),
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Audit events: append-only, one hash chain per tenant (AUD-04, AUD-05).
-- account_id has no foreign key on purpose: the record of a deleted account stays.
CREATE TABLE audit_events (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    seq         INTEGER NOT NULL,
    account_id  TEXT,
    actor_kind  TEXT NOT NULL,
    actor_id    TEXT NOT NULL DEFAULT '',
    actor_email TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    target_type TEXT NOT NULL DEFAULT '',
    target_id   TEXT NOT NULL DEFAULT '',
    outcome     TEXT NOT NULL DEFAULT 'success',
    ip          TEXT NOT NULL DEFAULT '',
    user_agent  TEXT NOT NULL DEFAULT '',
    request_id  TEXT NOT NULL DEFAULT '',
    details     TEXT NOT NULL DEFAULT '{}',
    created_at  TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    UNIQUE (tenant_id, seq)
);
CREATE INDEX audit_events_account ON audit_events (tenant_id, account_id, seq);

-- +goose StatementBegin
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE audit_events;
DROP TABLE sessions;
DROP TABLE memberships;
DROP TABLE accounts;
DROP TABLE users;
DROP TABLE tenants;
