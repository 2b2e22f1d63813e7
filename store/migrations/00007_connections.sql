-- +goose Up
-- Each account's connection to its RPA tool (SPEC §4): the provider, its
-- non-secret settings as a JSON object, and the outcome of the last Test
-- Connection. Secrets live apart, one sealed row per field (secret.Box,
-- bound to tenant, account and field), so a secret can be rotated alone.
CREATE TABLE connections (
    account_id        TEXT NOT NULL PRIMARY KEY,
    tenant_id         TEXT NOT NULL,
    provider          TEXT NOT NULL,
    settings          TEXT NOT NULL DEFAULT '{}',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    last_test_at      TEXT,
    last_test_ok      INTEGER CHECK (last_test_ok IN (0, 1)),
    last_test_details TEXT NOT NULL DEFAULT '',
    last_test_code    TEXT NOT NULL DEFAULT '',
    last_test_message TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id) ON DELETE CASCADE,
    UNIQUE (tenant_id, account_id)
);

CREATE TABLE connection_secrets (
    account_id TEXT NOT NULL,
    tenant_id  TEXT NOT NULL,
    field      TEXT NOT NULL,
    sealed     TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (account_id, field),
    FOREIGN KEY (tenant_id, account_id) REFERENCES connections (tenant_id, account_id) ON DELETE CASCADE
);

-- +goose Down
DROP TABLE connection_secrets;
DROP TABLE connections;
