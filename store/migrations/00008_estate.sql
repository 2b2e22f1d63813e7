-- +goose Up
-- Each account's RPA estate as Bureau knows it (SPEC §4): processes, robots,
-- schedules and jobs, synced from the provider or ingested through API keys.
-- Every row is keyed by (account_id, ref), the provider's own reference, so
-- syncing or ingesting the same record twice changes nothing. Children
-- reference parents through (account_id, id): a cross-account link cannot
-- exist.
CREATE TABLE processes (
    id             TEXT NOT NULL PRIMARY KEY,
    tenant_id      TEXT NOT NULL,
    account_id     TEXT NOT NULL,
    ref            TEXT NOT NULL,
    name           TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    folder         TEXT NOT NULL DEFAULT '',
    source         TEXT NOT NULL CHECK (source IN ('sync', 'ingest')),
    raw            TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (account_id, ref),
    UNIQUE (account_id, id),
    FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX processes_account_name ON processes (account_id, name, id);

CREATE TABLE robots (
    id           TEXT NOT NULL PRIMARY KEY,
    tenant_id    TEXT NOT NULL,
    account_id   TEXT NOT NULL,
    ref          TEXT NOT NULL,
    name         TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('available', 'busy', 'offline', 'unknown')),
    raw_status   TEXT NOT NULL DEFAULT '',
    machine      TEXT NOT NULL DEFAULT '',
    last_seen_at TEXT,
    source       TEXT NOT NULL CHECK (source IN ('sync', 'ingest')),
    raw          TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (account_id, ref),
    FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX robots_account_name ON robots (account_id, name, id);

CREATE TABLE schedules (
    id           TEXT NOT NULL PRIMARY KEY,
    tenant_id    TEXT NOT NULL,
    account_id   TEXT NOT NULL,
    ref          TEXT NOT NULL,
    name         TEXT NOT NULL,
    process_ref  TEXT NOT NULL DEFAULT '',
    process_name TEXT NOT NULL DEFAULT '',
    enabled      INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    cron         TEXT NOT NULL DEFAULT '',
    summary      TEXT NOT NULL DEFAULT '',
    timezone     TEXT NOT NULL DEFAULT '',
    next_run_at  TEXT,
    raw          TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (account_id, ref),
    FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX schedules_account_process ON schedules (account_id, process_ref);

-- Jobs: vendor times (created/started/ended/vendor_updated) as the vendor
-- reports them; updated_at is when Bureau last changed the row.
CREATE TABLE jobs (
    id                TEXT NOT NULL PRIMARY KEY,
    tenant_id         TEXT NOT NULL,
    account_id        TEXT NOT NULL,
    ref               TEXT NOT NULL,
    process_id        TEXT NOT NULL,
    robot_ref         TEXT NOT NULL DEFAULT '',
    robot_name        TEXT NOT NULL DEFAULT '',
    state             TEXT NOT NULL CHECK (state IN ('pending', 'running', 'successful', 'faulted', 'stopped', 'suspended')),
    raw_state         TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    started_at        TEXT,
    ended_at          TEXT,
    vendor_updated_at TEXT NOT NULL,
    trigger           TEXT NOT NULL DEFAULT '',
    error             TEXT NOT NULL DEFAULT '',
    source            TEXT NOT NULL CHECK (source IN ('sync', 'ingest', 'run')),
    raw               TEXT,
    updated_at        TEXT NOT NULL,
    UNIQUE (account_id, ref),
    FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, process_id) REFERENCES processes (account_id, id) ON DELETE CASCADE
);
CREATE INDEX jobs_account_created ON jobs (account_id, created_at DESC, id DESC);
CREATE INDEX jobs_account_process_created ON jobs (account_id, process_id, created_at DESC);
CREATE INDEX jobs_account_open ON jobs (account_id, state) WHERE state IN ('pending', 'running', 'suspended');

-- Who of the account's people may see a process (ISO-12: an Account User
-- sees only assigned processes and their jobs and schedules). One row per
-- person or group.
CREATE TABLE process_assignees (
    tenant_id  TEXT NOT NULL,
    account_id TEXT NOT NULL,
    process_id TEXT NOT NULL,
    user_id    TEXT REFERENCES users (id) ON DELETE CASCADE,
    group_id   TEXT,
    created_at TEXT NOT NULL,
    CHECK ((user_id IS NULL) <> (group_id IS NULL)),
    UNIQUE (process_id, user_id),
    UNIQUE (process_id, group_id),
    FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, process_id) REFERENCES processes (account_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, account_id, group_id) REFERENCES groups (tenant_id, account_id, id) ON DELETE CASCADE
);
CREATE INDEX process_assignees_user ON process_assignees (account_id, user_id);
CREATE INDEX process_assignees_group ON process_assignees (account_id, group_id);

-- Sync bookkeeping: one row per sync run; at most one running per account,
-- enforced here so a manual trigger, the cron and a second replica cannot
-- overlap. lease_until lets a new sync take over from one whose process died.
CREATE TABLE sync_runs (
    id          TEXT NOT NULL PRIMARY KEY,
    tenant_id   TEXT NOT NULL,
    account_id  TEXT NOT NULL,
    trigger     TEXT NOT NULL CHECK (trigger IN ('cron', 'manual', 'setup')),
    status      TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'timed_out', 'cancelled', 'interrupted', 'skipped_overlap')),
    started_at  TEXT NOT NULL,
    ended_at    TEXT,
    lease_until TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 1,
    processes   INTEGER NOT NULL DEFAULT 0,
    jobs        INTEGER NOT NULL DEFAULT 0,
    robots      INTEGER NOT NULL DEFAULT 0,
    schedules   INTEGER NOT NULL DEFAULT 0,
    changed     INTEGER NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT '',
    error_code  TEXT NOT NULL DEFAULT '',
    requested_by TEXT,
    FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX sync_runs_one_running ON sync_runs (account_id) WHERE status = 'running';
CREATE INDEX sync_runs_account_started ON sync_runs (account_id, started_at DESC);

-- Per-entity watermarks for incremental sync (jobs: the latest vendor
-- creation/change time seen).
CREATE TABLE sync_watermarks (
    tenant_id  TEXT NOT NULL,
    account_id TEXT NOT NULL,
    entity     TEXT NOT NULL CHECK (entity IN ('processes', 'jobs', 'robots', 'schedules')),
    watermark  TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (account_id, entity),
    FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id) ON DELETE CASCADE
);

-- Manual runs that wait for approval (SPEC §4).
CREATE TABLE run_requests (
    id           TEXT NOT NULL PRIMARY KEY,
    tenant_id    TEXT NOT NULL,
    account_id   TEXT NOT NULL,
    process_id   TEXT NOT NULL,
    requested_by TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    arguments    TEXT NOT NULL DEFAULT '{}',
    status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'expired', 'failed')),
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    decided_by   TEXT REFERENCES users (id) ON DELETE SET NULL,
    decided_at   TEXT,
    reason       TEXT NOT NULL DEFAULT '',
    job_ref      TEXT NOT NULL DEFAULT '',
    error        TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, process_id) REFERENCES processes (account_id, id) ON DELETE CASCADE
);
CREATE INDEX run_requests_account_status ON run_requests (account_id, status, created_at DESC);

-- Ingestion API keys (KEY-*): only a SHA-256 of the secret part is kept;
-- prefix is the visible id ("bur_<prefix>_…") used to find the row.
CREATE TABLE api_keys (
    id             TEXT NOT NULL PRIMARY KEY,
    tenant_id      TEXT NOT NULL,
    account_id     TEXT NOT NULL,
    name           TEXT NOT NULL,
    prefix         TEXT NOT NULL UNIQUE,
    hash           TEXT NOT NULL,
    created_by     TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at     TEXT NOT NULL,
    expires_at     TEXT,
    deactivated_at TEXT,
    last_used_at   TEXT,
    last_used_ip   TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX api_keys_account ON api_keys (account_id, created_at DESC);

-- +goose Down
DROP TABLE api_keys;
DROP TABLE run_requests;
DROP TABLE sync_watermarks;
DROP TABLE sync_runs;
DROP TABLE process_assignees;
DROP TABLE jobs;
DROP TABLE schedules;
DROP TABLE robots;
DROP TABLE processes;
