-- +goose Up
-- People (SPEC §2–§3): invitations, groups, password resets.
--
-- An invitation creates the person (a global user, without a password until
-- they accept) and their membership at once, marked pending by a NULL
-- accepted_at. So the one-membership-per-tenant key already decides
-- staff_client_conflict for invitations, and role and groups can be changed
-- while pending like any member's. A pending membership grants nothing.
ALTER TABLE memberships ADD COLUMN status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'pending'));
ALTER TABLE memberships ADD COLUMN invited_by TEXT NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN last_active_at TEXT;
CREATE UNIQUE INDEX memberships_tenant_account_id ON memberships (tenant_id, account_id, id);

-- Invitation links. Only SHA-256(token) is stored. A row is never reused:
-- resend marks the old one revoked (reason 'resent') and adds a new one, so
-- an old link answers 410 rather than 404. account_id NULL: a staff invitation.
-- user_id is the invitee; the membership may be gone (revoked, removed), the
-- row stays to answer the old link.
CREATE TABLE invitations (
    id            TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    account_id    TEXT,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash    TEXT NOT NULL UNIQUE,
    invited_by    TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    used_at       TEXT,
    revoked_at    TEXT,
    revoke_reason TEXT CHECK (revoke_reason IN ('revoked', 'resent', 'removed')),
    FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX invitations_member ON invitations (tenant_id, user_id, created_at);

-- Groups live in one account. name_key is the case-folded name, so names are
-- unique case-insensitively beyond ASCII. builtin marks the two every
-- account starts with; they cannot be deleted or renamed.
CREATE TABLE groups (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL,
    role       TEXT CHECK (role IN ('account_admin', 'account_user', 'client')),
    builtin    TEXT CHECK (builtin IN ('everyone', 'administrators')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (account_id, name_key),
    UNIQUE (account_id, builtin),
    UNIQUE (tenant_id, account_id, id),
    FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id) ON DELETE CASCADE
);

-- Explicit group members. Everyone is implicit (every member of the account)
-- and has no rows. Both foreign keys carry the account, so a membership of
-- another account (or a staff one) can never be put in a group.
CREATE TABLE group_members (
    tenant_id     TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    account_id    TEXT NOT NULL,
    group_id      TEXT NOT NULL,
    membership_id TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (group_id, membership_id),
    FOREIGN KEY (tenant_id, account_id, group_id) REFERENCES groups (tenant_id, account_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, account_id, membership_id) REFERENCES memberships (tenant_id, account_id, id) ON DELETE CASCADE
);
CREATE INDEX group_members_membership ON group_members (membership_id);

-- Every account starts with Everyone and Administrators (SPEC §2), however
-- it is created: a trigger, so no code path can forget them.
INSERT INTO groups (id, tenant_id, account_id, name, name_key, role, builtin, created_at, updated_at)
SELECT lower(hex(randomblob(16))), tenant_id, id, 'Everyone', 'everyone', NULL, 'everyone', created_at, created_at
FROM accounts;
INSERT INTO groups (id, tenant_id, account_id, name, name_key, role, builtin, created_at, updated_at)
SELECT lower(hex(randomblob(16))), tenant_id, id, 'Administrators', 'administrators', 'account_admin', 'administrators', created_at, created_at
FROM accounts;
-- +goose StatementBegin
CREATE TRIGGER accounts_default_groups AFTER INSERT ON accounts
BEGIN
    INSERT INTO groups (id, tenant_id, account_id, name, name_key, role, builtin, created_at, updated_at)
    VALUES (lower(hex(randomblob(16))), NEW.tenant_id, NEW.id, 'Everyone', 'everyone', NULL, 'everyone', NEW.created_at, NEW.created_at),
           (lower(hex(randomblob(16))), NEW.tenant_id, NEW.id, 'Administrators', 'administrators', 'account_admin', 'administrators', NEW.created_at, NEW.created_at);
END;
-- +goose StatementEnd

-- Password reset links: SHA-256(token) only, one hour, single use. tenant_id
-- is the tenant the reset was asked through: its branding and its outbox.
CREATE TABLE password_resets (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
CREATE INDEX password_resets_user ON password_resets (user_id);

-- +goose Down
DROP TABLE password_resets;
DROP TABLE group_members;
DROP TRIGGER accounts_default_groups;
DROP TABLE groups;
DROP TABLE invitations;
DROP INDEX memberships_tenant_account_id;
ALTER TABLE memberships DROP COLUMN last_active_at;
ALTER TABLE memberships DROP COLUMN invited_by;
ALTER TABLE memberships DROP COLUMN status;
