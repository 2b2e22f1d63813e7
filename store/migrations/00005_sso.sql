-- +goose Up
-- Per-tenant single sign-on for staff (OpenID Connect). The client secret
-- is sealed with secret.Box (envelope encryption, bound to the tenant) and
-- never returned by the API. role_map maps values of the groups claim
-- (group object ids, app roles) to a staff role; anything unmapped is
-- denied. entra_tenants is the allowlist for an Entra multi-tenant issuer.
CREATE TABLE tenant_sso (
    tenant_id       TEXT NOT NULL PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    issuer          TEXT NOT NULL,
    client_id       TEXT NOT NULL,
    client_secret   TEXT NOT NULL DEFAULT '',
    allowed_domains TEXT NOT NULL DEFAULT '[]',
    groups_claim    TEXT NOT NULL DEFAULT 'groups',
    role_map        TEXT NOT NULL DEFAULT '{}',
    entra_tenants   TEXT NOT NULL DEFAULT '[]',
    last_success_at TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

-- +goose Down
DROP TABLE tenant_sso;
