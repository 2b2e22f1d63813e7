-- +goose Up
-- OIDC sign-in state: one row per login attempt, keyed by SHA-256(state),
-- bound to the browser by SHA-256 of a cookie value, single use, 10 minutes.
-- The nonce and the PKCE verifier stay on the server.
CREATE TABLE oidc_states (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    binding_hash TEXT NOT NULL,
    nonce        TEXT NOT NULL,
    verifier     TEXT NOT NULL,
    -- 'test': a Tenant Admin's test sign-in; nobody is signed in, and
    -- result keeps what the provider sent, for the settings page.
    purpose      TEXT NOT NULL DEFAULT 'login' CHECK (purpose IN ('login', 'test')),
    result       TEXT,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    used_at      TEXT
);

-- Who a provider's subject is: identity is (issuer, subject) — for Entra
-- the tenant's issuer and the object id — never the email.
CREATE TABLE oidc_identities (
    tenant_id     TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    issuer        TEXT NOT NULL,
    subject       TEXT NOT NULL,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at    TEXT NOT NULL,
    last_login_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, issuer, subject)
);
CREATE INDEX oidc_identities_user ON oidc_identities (user_id);

-- +goose Down
DROP TABLE oidc_identities;
DROP TABLE oidc_states;
