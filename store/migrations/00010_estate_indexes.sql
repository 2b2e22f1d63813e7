-- +goose Up
-- Indexes for reading the estate at 100,000+ jobs per account (estate/*.go,
-- BenchmarkEstateReads). The first two replace 00008 indexes with supersets
-- that keep their order, so no query loses its index; the third is new.
--
-- The jobs list (newest first, cursor on created_at and id), its filters
-- (state, process, robot, the Account User's processes), the dashboard and
-- the overview all read the jobs of one account by creation time. Carrying
-- state, process_id and robot_ref in the index lets every filter and every
-- count run on the index alone, without a table lookup per job.
DROP INDEX jobs_account_created;
CREATE INDEX jobs_account_created_cover ON jobs (account_id, created_at, id, state, process_id, robot_ref);

-- One process's jobs, newest first, paged by (created_at, id): the jobs
-- list filtered on a process, and the processes list's last job and 7-day
-- counts.
DROP INDEX jobs_account_process_created;
CREATE INDEX jobs_account_process_created_id ON jobs (account_id, process_id, created_at, id, state);

-- The jobs list filtered on a state: that state's newest jobs are one seek,
-- however rare the state (estate.ListJobs reads several states one by one).
CREATE INDEX jobs_account_state_created ON jobs (account_id, state, created_at, id, process_id, robot_ref);

-- +goose Down
DROP INDEX jobs_account_state_created;
DROP INDEX jobs_account_process_created_id;
CREATE INDEX jobs_account_process_created ON jobs (account_id, process_id, created_at DESC);
DROP INDEX jobs_account_created_cover;
CREATE INDEX jobs_account_created ON jobs (account_id, created_at DESC, id DESC);
