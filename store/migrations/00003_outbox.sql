-- +goose Up
-- Outbox: mail that was not sent, because no SMTP server is configured or the
-- send failed after its retries. Tenant Admins read it in the UI, so an
-- evaluator without SMTP can still accept invitations (SPEC §3). reason says
-- why the row is here ("smtp not configured" or the sanitised send error).
CREATE TABLE outbox (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    to_addr    TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body_text  TEXT NOT NULL,
    body_html  TEXT NOT NULL DEFAULT '',
    link       TEXT NOT NULL DEFAULT '',
    kind       TEXT NOT NULL CHECK (kind IN ('invitation', 'reset', 'welcome')),
    reason     TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX outbox_tenant_created ON outbox (tenant_id, created_at);

-- +goose Down
DROP INDEX outbox_tenant_created;
DROP TABLE outbox;
