-- +goose Up
-- Client account details and settings (SPEC §1, §4).
ALTER TABLE accounts ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN external_ref TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN notes TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN deactivated_at TEXT;
ALTER TABLE accounts ADD COLUMN beta_features INTEGER NOT NULL DEFAULT 1 CHECK (beta_features IN (0, 1));
ALTER TABLE accounts ADD COLUMN approval_timeout_seconds INTEGER NOT NULL DEFAULT 86400
    CHECK (approval_timeout_seconds BETWEEN 60 AND 604800);
ALTER TABLE accounts ADD COLUMN require_run_approval INTEGER NOT NULL DEFAULT 0 CHECK (require_run_approval IN (0, 1));
ALTER TABLE accounts ADD COLUMN sync_interval_seconds INTEGER NOT NULL DEFAULT 300
    CHECK (sync_interval_seconds BETWEEN 60 AND 86400);
CREATE INDEX accounts_tenant_status ON accounts (tenant_id, status);

-- +goose Down
DROP INDEX accounts_tenant_status;
ALTER TABLE accounts DROP COLUMN sync_interval_seconds;
ALTER TABLE accounts DROP COLUMN require_run_approval;
ALTER TABLE accounts DROP COLUMN approval_timeout_seconds;
ALTER TABLE accounts DROP COLUMN beta_features;
ALTER TABLE accounts DROP COLUMN deactivated_at;
ALTER TABLE accounts DROP COLUMN notes;
ALTER TABLE accounts DROP COLUMN external_ref;
ALTER TABLE accounts DROP COLUMN contact_email;
