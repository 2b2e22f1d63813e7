-- +goose Up
-- Overdue run requests are found across every account by the expiry sweep
-- (runs.ExpireDue); only pending ones can expire, so the index holds only
-- those and stays small.
CREATE INDEX run_requests_pending_expiry ON run_requests (expires_at) WHERE status = 'pending';

-- An API key's expiry is audited once (KEY-10): the sweep records when it
-- wrote the apikey.expire event.
ALTER TABLE api_keys ADD COLUMN expiry_recorded_at TEXT;
CREATE INDEX api_keys_unrecorded_expiry ON api_keys (expires_at)
    WHERE expires_at IS NOT NULL AND expiry_recorded_at IS NULL AND deactivated_at IS NULL;

-- +goose Down
DROP INDEX api_keys_unrecorded_expiry;
ALTER TABLE api_keys DROP COLUMN expiry_recorded_at;
DROP INDEX run_requests_pending_expiry;
